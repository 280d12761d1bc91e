using System.Collections.Concurrent;
using System.Security.Cryptography;
using Faasten.Protocol;
using Faasten.Protocol.V1;
using Google.Protobuf;

namespace Faasten.Sandbox.Tests.Support;

/// <summary>
/// A CloudCall handler for runtime tests: records every request, answers from small in-memory
/// maps, and lets a test force any answer. No labels are checked; the real kernel does that.
/// </summary>
internal sealed class FakeKernel : ICloudCallHandler
{
    private readonly Dictionary<ulong, (MemoryStream Data, string? Path)> _writing = [];
    private readonly Dictionary<ulong, byte[]> _reading = [];
    private ulong _lastHandle;

    public ConcurrentQueue<CloudCallRequest> Requests { get; } = new();

    /// <summary>Blob contents by path, for fs_openblob.</summary>
    public Dictionary<string, byte[]> Blobs { get; } = [];

    /// <summary>File contents by path, for fs_read and fs_write.</summary>
    public Dictionary<string, byte[]> Files { get; } = [];

    /// <summary>Finalized blobs by hash.</summary>
    public ConcurrentDictionary<string, byte[]> Finalized { get; } = new();

    public string CurrentLabel { get; set; } = "T,T";

    public string Privilege { get; set; } = "alice";

    /// <summary>When set and returning non-null, answers instead of the fake.</summary>
    public Func<CloudCallRequest, CloudCallResponse?>? Override { get; set; }

    public IEnumerable<CloudCallRequest> Calls(CloudCallRequest.CallOneofCase kind) => Requests.Where(r => r.CallCase == kind);

    public ValueTask<CloudCallResponse> HandleAsync(CloudCallRequest request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request.Clone());
        return ValueTask.FromResult(Override?.Invoke(request) ?? Answer(request));
    }

    private CloudCallResponse Answer(CloudCallRequest request)
    {
        switch (request.CallCase)
        {
            case CloudCallRequest.CallOneofCase.FsRead:
                return Files.TryGetValue(request.FsRead.Path, out var file)
                    ? new CloudCallResponse { FsRead = new FsReadResult { Data = ByteString.CopyFrom(file) } }
                    : NotFound(request.FsRead.Path);
            case CloudCallRequest.CallOneofCase.FsWrite:
                Files[request.FsWrite.Path] = request.FsWrite.Data.ToByteArray();
                return CloudCallReplies.Done();
            case CloudCallRequest.CallOneofCase.BlobOpen:
                if (!Blobs.TryGetValue(request.BlobOpen.Path, out var blob))
                {
                    return NotFound(request.BlobOpen.Path);
                }
                _reading[++_lastHandle] = blob;
                return new CloudCallResponse
                {
                    BlobOpen = new BlobOpenResult { Handle = _lastHandle, Size = (ulong)blob.Length, Hash = Hash(blob) },
                };
            case CloudCallRequest.CallOneofCase.BlobRead:
                var read = request.BlobRead;
                if (!_reading.TryGetValue(read.Handle, out var content))
                {
                    return CloudCallReplies.Error(CloudCallErrorCode.BadRequest, "no such handle");
                }
                var offset = (int)Math.Min(read.Offset, (ulong)content.Length);
                var length = Math.Min((int)read.Length, content.Length - offset);
                return new CloudCallResponse
                {
                    BlobRead = new BlobReadResult { Data = ByteString.CopyFrom(content, offset, length) },
                };
            case CloudCallRequest.CallOneofCase.BlobCreate:
                _writing[++_lastHandle] = (new MemoryStream(), request.BlobCreate.HasPath ? request.BlobCreate.Path : null);
                return new CloudCallResponse { BlobCreate = new BlobCreateResult { Handle = _lastHandle } };
            case CloudCallRequest.CallOneofCase.BlobWrite:
                _writing[request.BlobWrite.Handle].Data.Write(request.BlobWrite.Data.Span);
                return CloudCallReplies.Done();
            case CloudCallRequest.CallOneofCase.BlobFinalize:
                var (data, _) = _writing[request.BlobFinalize.Handle];
                _writing.Remove(request.BlobFinalize.Handle);
                data.Write(request.BlobFinalize.Data.Span);
                var hash = Hash(data.ToArray());
                Finalized[hash] = data.ToArray();
                return new CloudCallResponse { BlobFinalize = new BlobFinalizeResult { Hash = hash } };
            case CloudCallRequest.CallOneofCase.BlobClose:
                _reading.Remove(request.BlobClose.Handle);
                _writing.Remove(request.BlobClose.Handle);
                return CloudCallReplies.Done();
            case CloudCallRequest.CallOneofCase.FsList when request.FsList.Path == "home:<T,alice>":
                return new CloudCallResponse { FsList = new FsListResult() };
            case CloudCallRequest.CallOneofCase.FsList:
                return new CloudCallResponse
                {
                    FsList = new FsListResult
                    {
                        Entries =
                        {
                            new DirEntry { Name = "photos", Kind = EntryKind.Directory },
                            new DirEntry { Name = "notes", Kind = EntryKind.File },
                            new DirEntry { Name = "thumb", Kind = EntryKind.Gate },
                        },
                    },
                };
            case CloudCallRequest.CallOneofCase.FsFacetedList:
                return new CloudCallResponse
                {
                    FsFacetedList = new FsFacetedListResult
                    {
                        Facets =
                        {
                            new FacetListing { Facet = "alice,alice" },
                            new FacetListing { Facet = "T,alice" },
                        },
                    },
                };
            case CloudCallRequest.CallOneofCase.Invoke:
                return new CloudCallResponse
                {
                    Invoke = request.Invoke.Sync
                        ? new InvokeResult { Value = request.Invoke.Payload }
                        : new InvokeResult { InvocationId = "inv-42" },
                };
            case CloudCallRequest.CallOneofCase.InvokeService:
                return new CloudCallResponse
                {
                    InvokeService = new InvokeServiceResult
                    {
                        Status = 201,
                        Headers = { ["content-type"] = "text/plain" },
                        Body = ByteString.CopyFromUtf8("echo:" + request.InvokeService.Body.ToStringUtf8()),
                    },
                };
            case CloudCallRequest.CallOneofCase.GetCurrentLabel:
            case CloudCallRequest.CallOneofCase.Endorse:
                return CloudCallReplies.Label(CurrentLabel);
            case CloudCallRequest.CallOneofCase.TaintWithLabel:
                CurrentLabel = request.TaintWithLabel.Label;
                return CloudCallReplies.Label(CurrentLabel);
            case CloudCallRequest.CallOneofCase.Declassify:
                CurrentLabel = request.Declassify.Secrecy + ",T";
                return CloudCallReplies.Label(CurrentLabel);
            case CloudCallRequest.CallOneofCase.GetPrivilege:
                return CloudCallReplies.Privilege(Privilege);
            case CloudCallRequest.CallOneofCase.SubPrivilege:
                return CloudCallReplies.Privilege(Privilege + "/" + request.SubPrivilege.Suffix);
            default:
                return CloudCallReplies.Done();
        }
    }

    private static CloudCallResponse NotFound(string path) =>
        CloudCallReplies.Error(CloudCallErrorCode.NotFound, $"no object at '{path}'");

    private static string Hash(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));
}
