using System.Text.Json;
using Faasten.Protocol;
using Faasten.Protocol.V1;
using Faasten.Sandbox.Tests.Support;
using Google.Protobuf;
using Kind = Faasten.Protocol.V1.CloudCallRequest.CallOneofCase;

namespace Faasten.Sandbox.Tests.Runtime;

/// <summary>Every CloudCall of DESIGN.md §5 made from Python in a real VM, against a fake kernel.</summary>
public sealed class CloudCallApiTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private const string EveryCall =
        """
        def handle(event, cc):
            out = {}
            out["fs_read"] = cc.fs_read("home:<alice,alice>:notes").decode()
            cc.fs_write("home:<alice,alice>:notes", b"new notes")
            cc.fs_write("home:<alice,alice>:text", "ünï text")
            out["fs_list"] = cc.fs_list("home:<alice,alice>")
            out["fs_faceted_list"] = cc.fs_faceted_list("home", clearance="alice,alice")
            cc.fs_faceted_list("home")
            cc.fs_createdir("~:photos", label="alice,alice")
            cc.fs_createdir("~:plain")
            cc.fs_createfile("~:file", label="T,alice")
            cc.fs_createfile("~:file-default")
            cc.fs_createfaceted("~:faceted")
            cc.fs_hardlink("~:file", "~:file2")
            cc.fs_delete("~:file2")
            with cc.fs_openblob("~:photo") as f:
                out["blob"] = [f.size, f.hash, f.read(5).decode(), f.seek(-3, 2), f.read().decode(), f.tell()]
            with cc.create_blob("~:out", label="alice,alice") as nb:
                nb.write(b"hello ")
                out["created"] = nb.finalize(b"world")
            with cc.create_blob() as nb:
                nb.write(b"abandoned")
            cc.fs_linkblob("~:linked", out["created"], label="alice,T")
            cc.fs_linkblob("~:linked2", out["created"])
            cc.fs_creategate("~:gate", out["created"], "alice/pma", "alice", memory=256, label="T,alice",
                             declassify="alice", timeout=2500)
            cc.fs_creategate("~:gate2", out["created"], "alice", "T")
            cc.fs_createredirectgate("~:redirect", "~:gate", "alice", "bob", label="T,alice")
            cc.fs_createredirectgate("~:redirect2", "~:gate", "alice", "bob")
            cc.fs_createservice("~:svc", "https://api.example.com/{repo}", "alice,T", "alice", "alice",
                                verb="POST", headers={"Authorization": "token x"}, label="alice,alice")
            out["invoke"] = cc.invoke("~:gate", {"x": [1, 2]})
            out["invoke_async"] = cc.invoke("~:gate", {"y": 1}, sync=False)
            r = cc.invoke_service("~:svc", body=b"payload", params={"repo": "faasten", "n": 3})
            out["service"] = [r.status, r.headers, r.body.decode()]
            out["label"] = cc.get_current_label()
            out["privilege"] = cc.get_privilege()
            out["taint"] = cc.taint_with_label("alice,T")
            out["declassify"] = cc.declassify("T")
            out["endorse"] = cc.endorse()
            out["sub"] = cc.sub_privilege("pma")
            out["sub_list"] = cc.sub_privilege(["pma", "thumb"])
            return out
        """;

    [Fact]
    public async Task EveryCall_ArrivesWithItsFieldsAndReturnsTheKernelsAnswer()
    {
        var kernel = new FakeKernel();
        kernel.Files["home:<alice,alice>:notes"] = "old notes"u8.ToArray();
        kernel.Blobs["~:photo"] = "0123456789abc"u8.ToArray();

        var result = OutcomeAssert.Ok(await sandbox.RunOnceAsync(EveryCall, handler: kernel));

        // Python saw the kernel's answers.
        Assert.Equal("old notes", result.GetProperty("fs_read").GetString());
        Assert.Equal("""{"photos":"directory","notes":"file","thumb":"gate"}""", result.GetProperty("fs_list").GetRawText());
        // The facets a page at a time, each listed with fs_list.
        Assert.Equal("""{"alice,alice":{"photos":"directory","notes":"file","thumb":"gate"},"T,alice":{}}""", result.GetProperty("fs_faceted_list").GetRawText());
        var blob = result.GetProperty("blob");
        Assert.Equal(13, blob[0].GetInt32());
        Assert.Equal("0123456789abc"u8.ToArray().Sha256Hex(), blob[1].GetString());
        Assert.Equal("01234", blob[2].GetString());
        Assert.Equal(10, blob[3].GetInt32());
        Assert.Equal("abc", blob[4].GetString());
        Assert.Equal(13, blob[5].GetInt32());
        var created = result.GetProperty("created").GetString()!;
        Assert.Equal("hello world"u8.ToArray(), kernel.Finalized[created]);
        Assert.Equal("""{"x":[1,2]}""", result.GetProperty("invoke").GetRawText());
        Assert.Equal("inv-42", result.GetProperty("invoke_async").GetString());
        Assert.Equal("""[201,{"content-type":"text/plain"},"echo:payload"]""", result.GetProperty("service").GetRawText());
        Assert.Equal("T,T", result.GetProperty("label").GetString());
        Assert.Equal("alice", result.GetProperty("privilege").GetString());
        Assert.Equal("alice,T", result.GetProperty("taint").GetString());
        Assert.Equal("T,T", result.GetProperty("declassify").GetString());
        Assert.Equal("T,T", result.GetProperty("endorse").GetString());
        Assert.Equal("alice/pma", result.GetProperty("sub").GetString());
        Assert.Equal("alice/pma/thumb", result.GetProperty("sub_list").GetString());

        // The kernel saw every field as written in Python.
        Assert.Equal("new notes", kernel.Files["home:<alice,alice>:notes"].Utf8());
        Assert.Equal("ünï text", kernel.Files["home:<alice,alice>:text"].Utf8());
        Assert.Equal(
            ["home:<alice,alice>", "home:<alice,alice>", "home:<T,alice>", "home:<alice,alice>", "home:<T,alice>"],
            kernel.Calls(Kind.FsList).Select(c => c.FsList.Path));
        var faceted = kernel.Calls(Kind.FsFacetedList).Select(c => c.FsFacetedList).ToArray();
        Assert.Equal(("home", true, "alice,alice"), (faceted[0].Path, faceted[0].HasClearance, faceted[0].Clearance));
        Assert.False(faceted[1].HasClearance);
        var dirs = kernel.Calls(Kind.FsCreateDir).Select(c => c.FsCreateDir).ToArray();
        Assert.Equal(("~:photos", true, "alice,alice"), (dirs[0].Path, dirs[0].HasLabel, dirs[0].Label));
        Assert.Equal(("~:plain", false), (dirs[1].Path, dirs[1].HasLabel));
        var files = kernel.Calls(Kind.FsCreateFile).Select(c => c.FsCreateFile).ToArray();
        Assert.Equal(("~:file", "T,alice"), (files[0].Path, files[0].Label));
        Assert.False(files[1].HasLabel);
        Assert.Equal("~:faceted", kernel.Calls(Kind.FsCreateFaceted).Single().FsCreateFaceted.Path);
        var link = kernel.Calls(Kind.FsHardLink).Single().FsHardLink;
        Assert.Equal(("~:file", "~:file2"), (link.Source, link.Destination));
        Assert.Equal("~:file2", kernel.Calls(Kind.FsDelete).Single().FsDelete.Path);

        Assert.Equal("~:photo", kernel.Calls(Kind.BlobOpen).Single().BlobOpen.Path);
        var reads = kernel.Calls(Kind.BlobRead).Select(c => c.BlobRead).ToArray();
        Assert.Equal(0UL, reads[0].Offset);
        Assert.Equal(10UL, reads[^1].Offset);
        Assert.All(reads, r => Assert.InRange(r.Length, 1U, 1024U * 1024));
        var creates = kernel.Calls(Kind.BlobCreate).Select(c => c.BlobCreate).ToArray();
        Assert.Equal(("~:out", "alice,alice"), (creates[0].Path, creates[0].Label));
        Assert.False(creates[1].HasPath || creates[1].HasLabel);
        Assert.Equal(["hello ", "abandoned"], kernel.Calls(Kind.BlobWrite).Select(c => c.BlobWrite.Data.ToStringUtf8()));
        Assert.Equal("world", kernel.Calls(Kind.BlobFinalize).Single().BlobFinalize.Data.ToStringUtf8());
        // The read handle is closed (lazily, before the next call) and the unfinished blob abandoned.
        Assert.Equal(2, kernel.Calls(Kind.BlobClose).Count());
        var links = kernel.Calls(Kind.FsLinkBlob).Select(c => c.FsLinkBlob).ToArray();
        Assert.Equal(("~:linked", created, "alice,T"), (links[0].Path, links[0].Blob, links[0].Label));
        Assert.False(links[1].HasLabel);

        var gates = kernel.Calls(Kind.FsCreateGate).Select(c => c.FsCreateGate).ToArray();
        Assert.Equal(
            ("~:gate", created, "alice/pma", "alice", 256U, "python3", "T,alice", "alice", 2500U),
            (gates[0].Path, gates[0].ImageBlob, gates[0].Privilege, gates[0].Clearance, gates[0].MemoryMb, gates[0].Runtime,
             gates[0].Label, gates[0].Declassify, gates[0].TimeoutMs));
        Assert.Equal((128U, "python3"), (gates[1].MemoryMb, gates[1].Runtime));
        Assert.False(gates[1].HasLabel || gates[1].HasDeclassify || gates[1].HasTimeoutMs);
        var redirects = kernel.Calls(Kind.FsCreateRedirectGate).Select(c => c.FsCreateRedirectGate).ToArray();
        Assert.Equal(
            ("~:redirect", "~:gate", "alice", "bob", "T,alice"),
            (redirects[0].Path, redirects[0].Target, redirects[0].Privilege, redirects[0].Clearance, redirects[0].Label));
        Assert.False(redirects[1].HasLabel);
        var service = kernel.Calls(Kind.FsCreateService).Single().FsCreateService;
        Assert.Equal(
            ("~:svc", "https://api.example.com/{repo}", "POST", "alice,T", "alice", "alice", "alice,alice"),
            (service.Path, service.Url, service.Verb, service.Taint, service.Privilege, service.Clearance, service.Label));
        Assert.Equal("token x", service.Headers["Authorization"]);
        var invokes = kernel.Calls(Kind.Invoke).Select(c => c.Invoke).ToArray();
        Assert.Equal(("~:gate", true), (invokes[0].Path, invokes[0].Sync));
        Assert.Equal(1, JsonDocument.Parse(invokes[1].Payload.Memory).RootElement.GetProperty("y").GetInt32());
        Assert.False(invokes[1].Sync);
        var callService = kernel.Calls(Kind.InvokeService).Single().InvokeService;
        Assert.Equal(("~:svc", "payload", "faasten", "3"), (callService.Path, callService.Body.ToStringUtf8(), callService.Params["repo"], callService.Params["n"]));
        Assert.Equal("alice,T", kernel.Calls(Kind.TaintWithLabel).Single().TaintWithLabel.Label);
        Assert.Equal("T", kernel.Calls(Kind.Declassify).Single().Declassify.Secrecy);
        Assert.Equal(["pma", "pma/thumb"], kernel.Calls(Kind.SubPrivilege).Select(c => c.SubPrivilege.Suffix));
        foreach (var kind in new[] { Kind.GetCurrentLabel, Kind.GetPrivilege, Kind.Endorse })
        {
            Assert.Single(kernel.Calls(kind));
        }

        // Every call kind of the protocol was exercised, each with a fresh id.
        var everyKind = Enum.GetValues<Kind>().Where(k => k != Kind.None);
        Assert.Empty(everyKind.Except(kernel.Requests.Select(r => r.CallCase)));
        Assert.Equal(kernel.Requests.Count, kernel.Requests.Select(r => r.Id).Distinct().Count());
    }

    [Theory]
    [InlineData(CloudCallErrorCode.NotFound, "NotFound")]
    [InlineData(CloudCallErrorCode.NotADirectory, "NotADirectory")]
    [InlineData(CloudCallErrorCode.WrongKind, "WrongKind")]
    [InlineData(CloudCallErrorCode.LabelDenied, "LabelError")]
    [InlineData(CloudCallErrorCode.PrivilegeDenied, "PrivilegeError")]
    [InlineData(CloudCallErrorCode.Exists, "Exists")]
    [InlineData(CloudCallErrorCode.BadPath, "BadPath")]
    [InlineData(CloudCallErrorCode.BadLabel, "BadLabel")]
    [InlineData(CloudCallErrorCode.BadRequest, "BadRequest")]
    [InlineData(CloudCallErrorCode.TooLarge, "TooLarge")]
    [InlineData(CloudCallErrorCode.InvocationFailed, "InvocationFailed")]
    [InlineData(CloudCallErrorCode.Timeout, "CloudCallTimeout")]
    [InlineData(CloudCallErrorCode.ServiceFailed, "ServiceError")]
    [InlineData(CloudCallErrorCode.Unsupported, "Unsupported")]
    [InlineData(CloudCallErrorCode.Internal, "KernelError")]
    [InlineData(CloudCallErrorCode.Unspecified, "KernelError")]
    [InlineData((CloudCallErrorCode)99, "KernelError")]
    public async Task Denial_RaisesTheMatchingPythonException(CloudCallErrorCode code, string exception)
    {
        var kernel = new FakeKernel { Override = _ => CloudCallReplies.Error(code, "the kernel's reason") };

        var result = OutcomeAssert.Ok(await sandbox.RunOnceAsync(
            """
            from faasten_runtime import errors

            def handle(event, cc):
                try:
                    cc.fs_read("home:secret")
                except errors.CloudCallError as e:
                    return [type(e).__name__, str(e), isinstance(e, cc.CloudCallError)]
                return "no exception"
            """,
            handler: kernel));

        Assert.Equal(exception, result[0].GetString());
        Assert.EndsWith("the kernel's reason", result[1].GetString(), StringComparison.Ordinal);
        Assert.True(result[2].GetBoolean());
    }

    [Fact]
    public async Task Denial_OfEveryCall_RaisesLabelError()
    {
        // Handles must exist for the blob calls to be tried; everything else is denied.
        var kernel = new FakeKernel
        {
            Override = r => r.CallCase is Kind.BlobOpen or Kind.BlobCreate
                ? null
                : CloudCallReplies.Error(CloudCallErrorCode.LabelDenied, $"{r.CallCase} denied"),
        };
        kernel.Blobs["~:b"] = [1, 2, 3];

        var result = OutcomeAssert.Ok(await sandbox.RunOnceAsync(
            """
            def handle(event, cc):
                blob = cc.fs_openblob("~:b")
                new = cc.create_blob("~:n")
                # A refused finalize spends its handle (no second error on close): close another.
                other = cc.create_blob("~:o")
                calls = {
                    "fs_read": lambda: cc.fs_read("p"),
                    "fs_write": lambda: cc.fs_write("p", b"x"),
                    "fs_list": lambda: cc.fs_list("p"),
                    "fs_faceted_list": lambda: cc.fs_faceted_list("p", "alice,alice"),
                    "fs_createdir": lambda: cc.fs_createdir("p"),
                    "fs_createfile": lambda: cc.fs_createfile("p"),
                    "fs_createfaceted": lambda: cc.fs_createfaceted("p"),
                    "fs_hardlink": lambda: cc.fs_hardlink("p", "q"),
                    "fs_delete": lambda: cc.fs_delete("p"),
                    "blob read": lambda: blob.read(1),
                    "blob write": lambda: new.write(b"x"),
                    "blob finalize": lambda: new.finalize(b"x"),
                    "blob close": lambda: other.close(),
                    "fs_linkblob": lambda: cc.fs_linkblob("p", "00"),
                    "fs_creategate": lambda: cc.fs_creategate("p", "00", "alice", "alice"),
                    "fs_createredirectgate": lambda: cc.fs_createredirectgate("p", "q", "alice", "alice"),
                    "fs_createservice": lambda: cc.fs_createservice("p", "https://x", "T,T", "alice", "alice"),
                    "invoke": lambda: cc.invoke("p", {}),
                    "invoke_service": lambda: cc.invoke_service("p"),
                    "get_current_label": cc.get_current_label,
                    "get_privilege": cc.get_privilege,
                    "taint_with_label": lambda: cc.taint_with_label("alice,T"),
                    "declassify": lambda: cc.declassify("T"),
                    "endorse": cc.endorse,
                    "sub_privilege": lambda: cc.sub_privilege("x"),
                }
                raised = {}
                for name, call in calls.items():
                    try:
                        call()
                        raised[name] = "returned"
                    except cc.LabelError as e:
                        raised[name] = "LabelError: " + str(e)
                return raised
            """,
            handler: kernel));

        var attempts = result.EnumerateObject().ToArray();
        Assert.Equal(25, attempts.Length);
        Assert.All(attempts, a => Assert.StartsWith("LabelError: ", a.Value.GetString(), StringComparison.Ordinal));
        Assert.Contains("BlobRead denied", result.GetProperty("blob read").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FsWrite_LargerThanAFrame_RaisesTooLargeWithoutACall()
    {
        var kernel = new FakeKernel();

        var result = OutcomeAssert.Ok(await sandbox.RunOnceAsync(
            """
            def handle(event, cc):
                try:
                    cc.fs_write("p", b"x" * (17 << 20))
                except cc.CloudCallError as e:
                    return type(e).__name__
            """,
            handler: kernel,
            memoryMb: 256));

        Assert.Equal("TooLarge", result.GetString());
        Assert.Empty(kernel.Requests);
    }

    [Fact]
    public async Task CreateBlob_LargeData_IsSentInChunksAndHashesMatch()
    {
        var kernel = new FakeKernel();

        var result = OutcomeAssert.Ok(await sandbox.RunOnceAsync(
            """
            import hashlib, os

            def handle(event, cc):
                data = os.urandom(3 * 1024 * 1024 + 5)
                with cc.create_blob("~:big") as nb:
                    digest = nb.finalize(data)
                return [digest, hashlib.sha256(data).hexdigest()]
            """,
            handler: kernel));

        Assert.Equal(result[1].GetString(), result[0].GetString());
        Assert.Equal(3 * 1024 * 1024 + 5, kernel.Finalized[result[0].GetString()!].Length);
        Assert.All(kernel.Calls(Kind.BlobWrite), w => Assert.InRange(w.BlobWrite.Data.Length, 1, 1024 * 1024));
        Assert.InRange(kernel.Calls(Kind.BlobFinalize).Single().BlobFinalize.Data.Length, 1, 1024 * 1024);
    }

    [Fact]
    public async Task FsOpenBlob_LargeBlob_ReadsWholeWithReadAndReadinto()
    {
        var data = new byte[5 * 1024 * 1024 + 123];
        new Random(3).NextBytes(data);
        var kernel = new FakeKernel();
        kernel.Blobs["~:big"] = data;

        var result = OutcomeAssert.Ok(await sandbox.RunOnceAsync(
            """
            import hashlib

            def handle(event, cc):
                with cc.fs_openblob("~:big") as f:
                    whole = f.read()
                    f.seek(0)
                    buf = bytearray(1000)
                    n = f.readinto(buf)
                    return [hashlib.sha256(whole).hexdigest(), f.hash, len(whole), n, buf[:4].hex(),
                            f.readable(), f.seekable(), f.writable()]
            """,
            handler: kernel));

        Assert.Equal(data.Sha256Hex(), result[0].GetString());
        Assert.Equal(data.Sha256Hex(), result[1].GetString());
        Assert.Equal(data.Length, result[2].GetInt32());
        Assert.Equal(1000, result[3].GetInt32());
        Assert.Equal(Convert.ToHexStringLower(data.AsSpan(0, 4)), result[4].GetString());
        Assert.Equal("[true,true,false]", $"[{result[5].GetRawText()},{result[6].GetRawText()},{result[7].GetRawText()}]");
    }

    [Fact]
    public async Task Invoke_SyncResultIsDecodedJson_AndUnencodablePayloadIsTheFunctionsError()
    {
        var kernel = new FakeKernel
        {
            Override = r => r.CallCase == Kind.Invoke
                ? new CloudCallResponse { Invoke = new InvokeResult { Value = ByteString.CopyFromUtf8("""{"thumbs":[1,2]}""") } }
                : null,
        };

        var result = OutcomeAssert.Ok(await sandbox.RunOnceAsync(
            """
            def handle(event, cc):
                got = cc.invoke("~:thumb", {"input": "~:photo"})
                try:
                    cc.invoke("~:thumb", {"bad": object()})
                except TypeError:
                    return got
            """,
            handler: kernel));

        Assert.Equal("""{"thumbs":[1,2]}""", result.GetRawText());
        Assert.Single(kernel.Calls(Kind.Invoke));
    }
}
