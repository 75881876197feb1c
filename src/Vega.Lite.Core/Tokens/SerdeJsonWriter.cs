using System.Globalization;
using System.Text;

namespace Vega.Lite.Core.Tokens;

/// <summary>
/// Minimal compact JSON writer producing the same text as <c>serde_json::to_string</c>: no whitespace; strings
/// escape only <c>"</c>, <c>\</c> and control characters (<c>\b \f \n \r \t</c>, others as lowercase
/// <c>\u00xx</c>); everything else, including non-ASCII, is written literally.
/// </summary>
internal sealed class SerdeJsonWriter
{
    private readonly StringBuilder _text = new();
    private readonly Stack<bool> _isFirstItem = new();
    private bool _afterName;

    public SerdeJsonWriter StartObject() => Open('{');

    public SerdeJsonWriter EndObject() => Close('}');

    public SerdeJsonWriter StartArray() => Open('[');

    public SerdeJsonWriter EndArray() => Close(']');

    /// <summary>Writes a property name; the next call writes its value.</summary>
    public SerdeJsonWriter Name(string name)
    {
        BeginItem();
        WriteString(name);
        _text.Append(':');
        _afterName = true;
        return this;
    }

    public SerdeJsonWriter String(string value)
    {
        BeginItem();
        WriteString(value);
        return this;
    }

    public SerdeJsonWriter Number(long value)
    {
        BeginItem();
        _text.Append(value.ToString(CultureInfo.InvariantCulture));
        return this;
    }

    public override string ToString() => _text.ToString();

    private SerdeJsonWriter Open(char bracket)
    {
        BeginItem();
        _text.Append(bracket);
        _isFirstItem.Push(true);
        return this;
    }

    private SerdeJsonWriter Close(char bracket)
    {
        _isFirstItem.Pop();
        _text.Append(bracket);
        return this;
    }

    private void BeginItem()
    {
        if (_afterName)
        {
            _afterName = false;
            return;
        }

        if (_isFirstItem.Count == 0)
        {
            return;
        }

        if (!_isFirstItem.Pop())
        {
            _text.Append(',');
        }

        _isFirstItem.Push(false);
    }

    private void WriteString(string value)
    {
        _text.Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': _text.Append("\\\""); break;
                case '\\': _text.Append("\\\\"); break;
                case '\b': _text.Append("\\b"); break;
                case '\f': _text.Append("\\f"); break;
                case '\n': _text.Append("\\n"); break;
                case '\r': _text.Append("\\r"); break;
                case '\t': _text.Append("\\t"); break;
                case < ' ': _text.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture)); break;
                default: _text.Append(c); break;
            }
        }

        _text.Append('"');
    }
}
