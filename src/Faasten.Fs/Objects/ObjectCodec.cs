using System.Collections.Immutable;
using System.Text.Json;
using Faasten.Labels;

namespace Faasten.Fs.Objects;

/// <summary>Encodes objects for the metadata store; a record that fails to decode is corruption, not input.</summary>
internal static class ObjectCodec
{
    /// <summary>
    /// <paramref name="writtenMs"/> (Unix milliseconds) is when this version was written: the
    /// collector never reclaims an object written within its grace period.
    /// </summary>
    public static byte[] Encode(FsObject obj, long writtenMs)
    {
        var r = new ObjectRecord { Kind = obj.Kind, Label = obj.Label?.ToString(), WrittenMs = writtenMs };
        switch (obj)
        {
            case FsDirectory:
                break;
            case FsFile f:
                r.Data = f.Data;
                break;
            case FsBlob b:
                (r.Hash, r.Length) = (b.Hash, b.Length);
                break;
            case FacetedDirectory:
                break;
            case Gate g:
                (r.Privilege, r.Clearance, r.Declassify) = (g.Privilege.ToString(), g.Clearance.ToString(), g.Declassify.ToString());
                (r.Hash, r.Runtime, r.MemoryMb, r.TimeoutMs) = (g.Function.ImageHash, g.Function.Runtime, g.Function.MemoryMb, g.Function.TimeoutMs);
                r.Env = g.Function.Env.IsEmpty ? null : new Dictionary<string, string>(g.Function.Env, StringComparer.Ordinal);
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
            case Schedule sc:
                (r.Cron, r.Target, r.Privilege, r.PayloadLabel, r.Data) = (sc.Cron, sc.GatePath, sc.Privilege.ToString(), sc.PayloadLabel.ToString(), sc.Payload);
                break;
            default:
                throw new ArgumentException($"unknown object type {obj.GetType().Name}", nameof(obj));
        }

        return JsonSerializer.SerializeToUtf8Bytes(r, ObjectJsonContext.Default.ObjectRecord);
    }

    public static FsObject Decode(ReadOnlySpan<byte> bytes) => Decode(Record(bytes));

    /// <summary>The object and when it was written (0 for records older than that field).</summary>
    public static (FsObject Object, long WrittenMs) DecodeWithTime(ReadOnlySpan<byte> bytes)
    {
        var r = Record(bytes);
        return (Decode(r), r.WrittenMs);
    }

    public static ObjectRecord Record(ReadOnlySpan<byte> bytes) =>
        JsonSerializer.Deserialize(bytes, ObjectJsonContext.Default.ObjectRecord) ?? throw new InvalidDataException("stored object is null");

    public static byte[] Encode(ObjectRecord record) => JsonSerializer.SerializeToUtf8Bytes(record, ObjectJsonContext.Default.ObjectRecord);

    public static byte[] EncodeEntry(ObjectId id, ObjectKind kind) =>
        JsonSerializer.SerializeToUtf8Bytes(new EntryRecord { Id = id.Value, Kind = kind }, ObjectJsonContext.Default.EntryRecord);

    public static DirectoryEntry DecodeEntry(string name, ReadOnlySpan<byte> bytes)
    {
        var r = JsonSerializer.Deserialize(bytes, ObjectJsonContext.Default.EntryRecord) ?? throw new InvalidDataException("stored entry is null");
        return new DirectoryEntry(name, new ObjectId(Req(r.Id.Length == 0 ? null : r.Id)), r.Kind);
    }

    // Directory records written before entries became keys still carry "e" (and faceted ones
    // "f"); LayoutMigration moves those out before anything reads them, so they are ignored here.
    private static FsObject Decode(ObjectRecord r) =>
        r.Kind switch
        {
            ObjectKind.Directory => new FsDirectory(L(r.Label)),
            ObjectKind.File => new FsFile(L(r.Label), r.Data ?? []),
            ObjectKind.Blob => new FsBlob(L(r.Label), Req(r.Hash), r.Length),
            ObjectKind.FacetedDirectory => FacetedDirectory.Empty,
            ObjectKind.Gate => new Gate(L(r.Label), C(r.Privilege), C(r.Clearance), C(r.Declassify),
                new FunctionSpec(Req(r.Hash), Req(r.Runtime), r.MemoryMb, r.TimeoutMs) { Env = (r.Env ?? []).ToImmutableSortedDictionary(StringComparer.Ordinal) }),
            ObjectKind.RedirectGate => new RedirectGate(L(r.Label), Req(r.Target), C(r.Privilege), C(r.Clearance), C(r.Declassify)),
            ObjectKind.Service => new Service(L(r.Label), Req(r.Url), Req(r.Verb),
                (r.Headers ?? []).ToImmutableSortedDictionary(StringComparer.Ordinal), L(r.Taint), C(r.Privilege), C(r.Clearance)),
            ObjectKind.Trigger => new Trigger(L(r.Label), Req(r.Secret), Req(r.Target), C(r.Privilege), L(r.PayloadLabel)),
            ObjectKind.Schedule => new Schedule(L(r.Label), Req(r.Cron), Req(r.Target), C(r.Privilege), L(r.PayloadLabel), r.Data ?? []),
            _ => throw new InvalidDataException($"stored object has unknown kind {r.Kind}"),
        };

    private static Label L(string? text) => Label.Parse(Req(text));

    private static Component C(string? text) => Component.Parse(Req(text));

    private static string Req(string? value) => value ?? throw new InvalidDataException("stored object lacks a required field");
}
