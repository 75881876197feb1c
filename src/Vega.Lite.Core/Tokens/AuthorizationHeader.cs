using System.Text;

namespace Vega.Lite.Core.Tokens;

/// <summary>
/// Extracts the JWT from an <c>Authorization</c> header like Attic's <c>parse_authorization_header</c>
/// (<c>token/src/util.rs</c>): regex <c>^(?i)(bearer|basic)(?-i) (.*)$</c>.
/// </summary>
public static class AuthorizationHeader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Returns the token, or null when the header is absent or malformed (the request is then anonymous).
    /// <list type="bullet">
    /// <item>The value must be visible ASCII or tab (<c>HeaderValue::to_str</c>), else null.</item>
    /// <item>Scheme <c>bearer</c>/<c>basic</c> in any case, then exactly one space; everything after that
    /// single space is the rest (so <c>"bearer  x"</c> yields <c>" x"</c>, and <c>"bearer "</c> yields "").</item>
    /// <item>Bearer: the rest is the token.</item>
    /// <item>Basic: the rest must be canonical padded standard base64 of UTF-8 <c>user:password</c>; the text after
    /// the first <c>:</c> is the token, the user name is ignored.</item>
    /// </list>
    /// </summary>
    public static string? ExtractToken(string? headerValue)
    {
        if (headerValue is null || !IsVisibleAscii(headerValue))
        {
            return null;
        }

        if (TryGetRest(headerValue, "bearer", out string? rest))
        {
            return rest;
        }

        return TryGetRest(headerValue, "basic", out rest) ? PasswordFromBasic(rest) : null;
    }

    private static bool TryGetRest(string value, string scheme, out string rest)
    {
        rest = string.Empty;
        if (value.Length <= scheme.Length
            || value[scheme.Length] != ' '
            || !value.AsSpan(0, scheme.Length).Equals(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        rest = value[(scheme.Length + 1)..];
        return true;
    }

    private static string? PasswordFromBasic(string encoded)
    {
        if (!StrictBase64.TryDecodeStandardPadded(encoded, out byte[] bytes))
        {
            return null;
        }

        string userPass;
        try
        {
            userPass = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }

        int colon = userPass.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? null : userPass[(colon + 1)..];
    }

    private static bool IsVisibleAscii(string value)
    {
        foreach (char c in value)
        {
            if (c != '\t' && (c < ' ' || c > '~'))
            {
                return false;
            }
        }

        return true;
    }
}
