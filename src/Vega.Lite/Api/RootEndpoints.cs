namespace Vega.Lite.Api;

/// <summary><c>GET /</c>: a placeholder page, as Attic has.</summary>
internal static class RootEndpoints
{
    private const string Page =
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Vega.Lite</title></head>" +
        "<body><h1>Vega.Lite</h1><p>A Nix binary cache, compatible with Attic.</p></body></html>";

    public static IResult GetPage() => Results.Content(Page, "text/html; charset=utf-8");
}
