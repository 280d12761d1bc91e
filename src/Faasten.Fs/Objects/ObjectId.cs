using System.Security.Cryptography;

namespace Faasten.Fs.Objects;

/// <summary>A stable, unguessable object identity; the root's is fixed.</summary>
public readonly record struct ObjectId(string Value)
{
    public static readonly ObjectId Root = new("root");

    public static ObjectId NewId() => new(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));

    internal string StoreKey => "obj/" + Value;

    public override string ToString() => Value;
}
