using Microsoft.AspNetCore.StaticFiles;

namespace Kedja.Web.Infrastructure;

/// <summary>
/// Static text files (CSS, SVG, JavaScript) are UTF-8 and say so (ASVS 14.4.1): the framework's provider names only the
/// media type, and a browser guessing another character set could read a byte sequence as markup.
/// </summary>
public static class StaticFileCharset
{
    public static StaticFileOptions Options()
    {
        var types = new FileExtensionContentTypeProvider();
        foreach (var (extension, type) in types.Mappings.ToList())
        {
            if (type.StartsWith("text/", StringComparison.Ordinal) || type is "image/svg+xml" or "application/javascript" or "application/xml")
            {
                types.Mappings[extension] = type + "; charset=utf-8";
            }
        }

        return new StaticFileOptions { ContentTypeProvider = types };
    }
}
