using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Faasten.Hosting;

/// <summary>HTTPS for the gateway: a PEM certificate (chain) and its PEM private key.</summary>
public sealed record TlsOptions
{
    public string? Certificate { get; init; }

    public string? Key { get; init; }

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrEmpty(Certificate) != string.IsNullOrEmpty(Key))
        {
            errors.Add("tls.certificate and tls.key go together: set both or neither");
        }

        foreach (var (key, path) in new[] { ("tls.certificate", Certificate), ("tls.key", Key) })
        {
            if (!string.IsNullOrEmpty(path) && !File.Exists(path))
            {
                errors.Add($"{key}: no file {path}");
            }
        }

        return errors;
    }

    /// <summary>True when both files are named.</summary>
    public bool Enabled => !string.IsNullOrEmpty(Certificate) && !string.IsNullOrEmpty(Key);

    /// <summary>The certificate with its key, or null when TLS is off.</summary>
    /// <exception cref="ArgumentException">The files do not hold a matching PEM certificate and key.</exception>
    public X509Certificate2? Load()
    {
        if (!Enabled)
        {
            return null;
        }

        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(Certificate!, Key);
            // Kestrel needs the key in a form the TLS stack can use on every platform: re-import it.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (CryptographicException e)
        {
            throw new ArgumentException($"tls: cannot load {Certificate} with key {Key}: {e.Message}", e);
        }
    }
}
