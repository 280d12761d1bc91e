using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;

namespace Faasten.Benchmarks.Storage;

/// <summary>Filters out every benchmark of the class, saying why, when no PostgreSQL server is configured.</summary>
public sealed class RequiresPostgresConfig : ManualConfig
{
    public const string EnvironmentVariable = "FAASTEN_TEST_POSTGRES";

    // BenchmarkDotNet builds configs more than once; say it once.
    private static int s_warned;

    public RequiresPostgresConfig()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            if (Interlocked.Exchange(ref s_warned, 1) == 0)
            {
                Console.WriteLine($"Skipping PostgreSQL benchmarks: set {EnvironmentVariable} (e.g. `source scripts/postgres.sh`).");
            }

            AddFilter(new SimpleFilter(_ => false));
        }
    }

    public static string? ConnectionString => Environment.GetEnvironmentVariable(EnvironmentVariable);
}
