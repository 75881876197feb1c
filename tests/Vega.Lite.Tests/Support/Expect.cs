using System.Text.Json;

namespace Vega.Lite.Tests.Support;

/// <summary>Assertions on Attic's JSON error body.</summary>
public static class Expect
{
    public static async Task Error(HttpResponseMessage response, int status, string name)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode, $"expected {status} {name}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        Assert.Equal(status, json.RootElement.GetProperty("code").GetInt32());
        Assert.Equal(name, json.RootElement.GetProperty("error").GetString());
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("message").GetString()));
    }
}
