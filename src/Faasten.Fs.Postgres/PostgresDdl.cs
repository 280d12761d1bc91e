using Npgsql;

namespace Faasten.Fs.Postgres;

/// <summary>
/// Creates what a store needs at start, safely when several processes start at once.
/// <c>CREATE ... IF NOT EXISTS</c> still races in the catalog (two starters both find the name
/// free and one fails on pg_type's or pg_namespace's unique index), so every store's schema
/// statements run in a transaction under one advisory lock shared by all Faasten stores: a
/// schema created by one store is then never created again by another at the same moment.
/// </summary>
internal static class PostgresDdl
{
    private const string LockName = "faasten schema";

    /// <param name="quotedSchema">The schema to create first when it is missing (quoted), or null for none.</param>
    public static async Task RunAsync(NpgsqlConnection connection, string? quotedSchema, IEnumerable<string> statements, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext($1))", connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = LockName });
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        if (quotedSchema is not null)
        {
            // CREATE SCHEMA needs the CREATE privilege on the database even when the schema
            // exists, so it only runs when the schema is missing.
            await using var missing = new NpgsqlCommand("SELECT to_regnamespace($1) IS NULL", connection, transaction);
            missing.Parameters.Add(new NpgsqlParameter<string> { TypedValue = quotedSchema });
            if ((bool)(await missing.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                await using var create = new NpgsqlCommand($"CREATE SCHEMA IF NOT EXISTS {quotedSchema}", connection, transaction);
                await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var statement in statements)
        {
            await using var command = new NpgsqlCommand(statement, connection, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
