using System.Data.Common;

namespace Vega.Lite.Metadata;

/// <summary>What the metadata code does with any ADO.NET command, SQLite's or Npgsql's.</summary>
internal static class DbCommands
{
    /// <summary>Adds a parameter (<c>@name</c> in the SQL); null is SQL NULL. Returns it, to set again for the next row.</summary>
    public static DbParameter Bind(this DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }
}
