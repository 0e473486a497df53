namespace Kedja.Cluster.Tests;

/// <summary>
/// A test of the real cluster: skipped, with the reason, unless KEDJA_TEST_CLUSTER=1 (it needs etcd, Patroni,
/// pgbouncer, haproxy and the Release build; CI installs them and runs this project as a step of its own).
/// </summary>
public sealed class ClusterFactAttribute : FactAttribute
{
    public ClusterFactAttribute()
    {
        if (!ClusterFixture.Enabled)
        {
            Skip = "The cluster tests need KEDJA_TEST_CLUSTER=1 (and patroni, etcd-server, pgbouncer, haproxy, a Release build): see deploy/cluster/README.md.";
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
