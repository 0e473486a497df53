using Kedja.Web.Portal;
using Microsoft.Net.Http.Headers;

namespace Kedja.Web.Auth;

/// <summary>
/// ASVS 8.2.1: no answer to a signed-in request (a page with the cookie, the API with a token) may be kept by the
/// browser or a cache on the way – a scorecard page in a shared computer's history holds a member's data. Set in one
/// place, after authentication, so that no page can forget it; public answers (the portal under /p/, open data,
/// anonymous requests) keep their own caching, and pages that set "no-store" themselves keep doing so.
/// </summary>
public static class SignedInNoStore
{
    public const string NoStore = "no-store";

    /// <summary>Right after UseAuthentication, so that the request's person is known.</summary>
    public static WebApplication UseSignedInNoStore(this WebApplication app)
    {
        app.Use((http, next) =>
        {
            // The portal is the same for everyone and caches by its own tags (ADR 41), signed in or not.
            if (http.User.Identity?.IsAuthenticated == true && !PortalHosting.IsPortal(http.Request))
            {
                http.Response.OnStarting(() =>
                {
                    http.Response.Headers[HeaderNames.CacheControl] = NoStore;
                    // For HTTP/1.0 caches, which know no Cache-Control.
                    http.Response.Headers[HeaderNames.Pragma] = "no-cache";
                    return Task.CompletedTask;
                });
            }

            return next(http);
        });
        return app;
    }
}
