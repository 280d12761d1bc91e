using System.Collections.Immutable;
using System.Text.Json;
using Faasten.Labels;

namespace Faasten.Fs.Objects;

/// <summary>Encodes objects for the metadata store; a record that fails to decode is corruption, not input.</summary>
internal static class ObjectCodec
{
    public static byte[] Encode(FsObject obj)
    {
        var r = new ObjectRecord { Kind = obj.Kind, Label = obj.Label?.ToString() };
        switch (obj)
        {
            case FsDirectory d:
                r.Entries = d.Entries.ToDictionary(e => e.Key, e => new EntryRecord { Id = e.Value.Id.Value, Kind = e.Value.Kind }, StringComparer.Ordinal);
                break;
            case FsFile f:
                r.Data = f.Data;
                break;
            case FsBlob b:
                (r.Hash, r.Length) = (b.Hash, b.Length);
                break;
            case FacetedDirectory fd:
                r.Facets = fd.Facets.ToDictionary(e => e.Key, e => e.Value.Value, StringComparer.Ordinal);
                break;
            case Gate g:
                (r.Privilege, r.Clearance, r.Declassify) = (g.Privilege.ToString(), g.Clearance.ToString(), g.Declassify.ToString());
                (r.Hash, r.Runtime, r.MemoryMb, r.TimeoutMs) = (g.Function.ImageHash, g.Function.Runtime, g.Function.MemoryMb, g.Function.TimeoutMs);
                break;
            case RedirectGate rg:
                (r.Target, r.Privilege, r.Clearance, r.Declassify) = (rg.Target, rg.Privilege.ToString(), rg.Clearance.ToString(), rg.Declassify.ToString());
                break;
            case Service s:
                (r.Url, r.Verb, r.Headers, r.Taint) = (s.UrlTemplate, s.Verb, new Dictionary<string, string>(s.Headers, StringComparer.Ordinal), s.Taint.ToString());
                (r.Privilege, r.Clearance) = (s.Privilege.ToString(), s.Clearance.ToString());
                break;
            case Trigger t:
                (r.Secret, r.Target, r.Privilege, r.PayloadLabel) = (t.Secret, t.GatePath, t.Privilege.ToString(), t.PayloadLabel.ToString());
                break;
            default:
                throw new ArgumentException($"unknown object type {obj.GetType().Name}", nameof(obj));
        }

        return JsonSerializer.SerializeToUtf8Bytes(r, ObjectJsonContext.Default.ObjectRecord);
    }

    public static FsObject Decode(ReadOnlySpan<byte> bytes)
    {
        var r = JsonSerializer.Deserialize(bytes, ObjectJsonContext.Default.ObjectRecord)
            ?? throw new InvalidDataException("stored object is null");
        return r.Kind switch
        {
            ObjectKind.Directory => new FsDirectory(L(r.Label), (r.Entries ?? []).ToImmutableSortedDictionary(
                e => e.Key, e => new DirectoryEntry(e.Key, new ObjectId(e.Value.Id), e.Value.Kind), StringComparer.Ordinal)),
            ObjectKind.File => new FsFile(L(r.Label), r.Data ?? []),
            ObjectKind.Blob => new FsBlob(L(r.Label), Req(r.Hash), r.Length),
            ObjectKind.FacetedDirectory => new FacetedDirectory((r.Facets ?? []).ToImmutableSortedDictionary(
                e => e.Key, e => new ObjectId(e.Value), StringComparer.Ordinal)),
            ObjectKind.Gate => new Gate(L(r.Label), C(r.Privilege), C(r.Clearance), C(r.Declassify),
                new FunctionSpec(Req(r.Hash), Req(r.Runtime), r.MemoryMb, r.TimeoutMs)),
            ObjectKind.RedirectGate => new RedirectGate(L(r.Label), Req(r.Target), C(r.Privilege), C(r.Clearance), C(r.Declassify)),
            ObjectKind.Service => new Service(L(r.Label), Req(r.Url), Req(r.Verb),
                (r.Headers ?? []).ToImmutableSortedDictionary(StringComparer.Ordinal), L(r.Taint), C(r.Privilege), C(r.Clearance)),
            ObjectKind.Trigger => new Trigger(L(r.Label), Req(r.Secret), Req(r.Target), C(r.Privilege), L(r.PayloadLabel)),
            _ => throw new InvalidDataException($"stored object has unknown kind {r.Kind}"),
        };
    }

    private static Label L(string? text) => Label.Parse(Req(text));

    private static Component C(string? text) => Component.Parse(Req(text));

    private static string Req(string? value) => value ?? throw new InvalidDataException("stored object lacks a required field");
}
