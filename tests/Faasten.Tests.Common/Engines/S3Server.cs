using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Faasten.Tests.Common.Engines;

/// <summary>
/// The S3-protocol server of this test process: s3rver (npm; scripts/setup.sh installs it into
/// tools/s3rver) on loopback over a private directory, started once. Each test class makes its
/// own bucket with <see cref="CreateBucketAsync"/>.
/// </summary>
public static class S3Server
{
    /// <summary>s3rver's fixed credentials; the clients of the tests use them.</summary>
    public const string AccessKey = "S3RVER";

    public const string SecretKey = "S3RVER";

    private static readonly Lazy<Task<LoopbackService>> Server = new(() => StartAsync());

    public static AWSCredentials Credentials { get; } = new BasicAWSCredentials(AccessKey, SecretKey);

    public static async Task<string> GetEndpointAsync() => $"http://127.0.0.1:{(await Server.Value).Port}";

    /// <summary>The directory s3rver keeps its buckets in (tests look for incomplete uploads there).</summary>
    public static async Task<string> GetDataDirectoryAsync() => Path.Combine((await Server.Value).Directory, "data");

    /// <summary>A new, empty bucket with a unique name.</summary>
    public static async Task<string> CreateBucketAsync() => await CreateBucketAsync(await GetEndpointAsync());

    /// <summary>A new, empty bucket on the s3rver at <paramref name="endpoint"/> (a test's private one).</summary>
    public static async Task<string> CreateBucketAsync(string endpoint)
    {
        var bucket = $"faasten-{Guid.NewGuid():N}"[..40];
        using var client = NewClient(endpoint);
        await client.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        return bucket;
    }

    public static AmazonS3Client NewClient(string endpoint) => new(Credentials, new AmazonS3Config
    {
        ServiceURL = endpoint,
        ForcePathStyle = true,
        AuthenticationRegion = "us-east-1",
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
    });

    /// <summary>Starts s3rver: the tools/s3rver install of the source tree, else FAASTEN_S3RVER, else s3rver on PATH.</summary>
    /// <param name="directory">A stopped one's directory and port, to start it again over its buckets (an outage test).</param>
    public static Task<LoopbackService> StartAsync(string? directory = null, int? port = null) =>
        LoopbackService.StartAsync("s3rver", FindExecutable(), (port, directory) =>
            ["-d", Path.Combine(directory, "data"), "-a", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--silent"], directory, port);

    public static string Endpoint(LoopbackService server) => $"http://127.0.0.1:{server.Port}";

    private static string FindExecutable()
    {
        if (Environment.GetEnvironmentVariable("FAASTEN_S3RVER") is { Length: > 0 } configured)
        {
            return configured;
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tools", "s3rver", "node_modules", ".bin", "s3rver");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return "s3rver";
    }
}
