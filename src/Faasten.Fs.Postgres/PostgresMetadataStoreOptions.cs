using System.Text.RegularExpressions;

namespace Faasten.Fs.Postgres;

/// <summary>Where the PostgreSQL metadata store keeps its table.</summary>
public sealed partial record PostgresMetadataStoreOptions
{
    public required string ConnectionString { get; init; }

    /// <summary>Created if missing. Lower-case letters, digits and underscores.</summary>
    public string Schema { get; init; } = "public";

    /// <summary>Created if missing. Lower-case letters, digits and underscores.</summary>
    public string Table { get; init; } = "faasten_metadata";

    /// <summary>Every problem with these options, empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            errors.Add("ConnectionString is required.");
        }

        // Names are spliced into SQL, so only plain identifiers are allowed.
        if (Schema is null || !Identifier().IsMatch(Schema))
        {
            errors.Add($"Schema '{Schema}' must match {Identifier()}.");
        }

        if (Table is null || !Identifier().IsMatch(Table))
        {
            errors.Add($"Table '{Table}' must match {Identifier()}.");
        }

        return errors;
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex Identifier();
}
