namespace Vega.Lite.Core.Tokens;

/// <summary>
/// Time-claim domain. jwt-simple 0.11 stores timestamps as coarsetime 32.32 fixed point, so every
/// effective time claim is a whole number of seconds in [0, 2^32 - 1].
/// </summary>
internal static class UnixSeconds
{
    public const long Max = uint.MaxValue;

    public static long? Check(long? value, string paramName) =>
        value is < 0 or > Max
            ? throw new ArgumentOutOfRangeException(paramName, value, $"Time claims must be within 0..{Max} (Unix seconds).")
            : value;
}
