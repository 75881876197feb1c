namespace Vega.Lite.Config;

/// <summary>A configuration problem that stops the server at start, with a message naming the key and source.</summary>
internal sealed class ConfigException(string message) : Exception(message);
