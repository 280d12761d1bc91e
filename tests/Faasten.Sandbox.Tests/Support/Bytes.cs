using System.Security.Cryptography;
using System.Text;

namespace Faasten.Sandbox.Tests.Support;

internal static class Bytes
{
    public static string Sha256Hex(this byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    public static string Utf8(this byte[] data) => Encoding.UTF8.GetString(data);
}
