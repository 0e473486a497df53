using QRCoder;

namespace Kedja.Web.Auth.TwoFactor;

/// <summary>
/// The enrolment address as an SVG drawn into the page: no image address to fetch and no inline style or script, so
/// the site's Content-Security-Policy (default-src 'self') holds. QRCoder draws with presentation attributes only.
/// </summary>
public static class QrCode
{
    public static string Svg(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var svg = new SvgQRCode(data).GetGraphic(new System.Drawing.Size(256, 256), "#000000", "#ffffff", drawQuietZones: true, SvgQRCode.SizingMode.ViewBoxAttribute);
        // The page says what the picture is (aria on the figure); the SVG itself is decoration for assistive technology.
        return svg.Replace("<svg ", "<svg aria-hidden=\"true\" focusable=\"false\" class=\"qr\" ", StringComparison.Ordinal);
    }
}
