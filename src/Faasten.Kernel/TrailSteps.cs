using Faasten.Fs.Records;
using Faasten.Protocol.V1;
using Case = Faasten.Protocol.V1.CloudCallRequest.CallOneofCase;

namespace Faasten.Kernel;

/// <summary>
/// Names each CloudCall for the taint trail before it runs, so a raise of the label it causes
/// is noted as what the function did (<c>read PATH</c>, <c>reply from PATH</c>, <c>taint</c>).
/// Only references to strings the request already holds: no allocation unless the label rises.
/// </summary>
internal static class TrailSteps
{
    public static void Begin(TaintTrail trail, CloudCallRequest request)
    {
        switch (request.CallCase)
        {
            case Case.FsRead: trail.Begin("read", request.FsRead.Path); break;
            case Case.FsList: trail.Begin("read", request.FsList.Path); break;
            case Case.FsFacetedList: trail.Begin("list facets of", request.FsFacetedList.Path); break;
            case Case.BlobOpen: trail.Begin("read", request.BlobOpen.Path); break;
            case Case.FsWrite: trail.Begin("write", request.FsWrite.Path); break;
            case Case.FsCreateDir: trail.Begin("create", request.FsCreateDir.Path); break;
            case Case.FsCreateFile: trail.Begin("create", request.FsCreateFile.Path); break;
            case Case.FsCreateFaceted: trail.Begin("create", request.FsCreateFaceted.Path); break;
            case Case.FsHardLink: trail.Begin("link", request.FsHardLink.Destination); break;
            case Case.FsDelete: trail.Begin("delete", request.FsDelete.Path); break;
            case Case.FsLinkBlob: trail.Begin("link", request.FsLinkBlob.Path); break;
            case Case.BlobCreate: trail.Begin("create blob", request.BlobCreate.HasPath ? request.BlobCreate.Path : null); break;
            case Case.BlobFinalize: trail.Begin("finalize blob"); break;
            case Case.FsCreateGate: trail.Begin("create", request.FsCreateGate.Path); break;
            case Case.FsCreateRedirectGate: trail.Begin("create", request.FsCreateRedirectGate.Path); break;
            case Case.FsCreateService: trail.Begin("create", request.FsCreateService.Path); break;
            case Case.Invoke: trail.Begin("reply from", request.Invoke.Path); break;
            case Case.InvokeService: trail.Begin("reply from service", request.InvokeService.Path); break;
            case Case.TaintWithLabel: trail.Begin("taint"); break;
            default: trail.Begin("call"); break;
        }
    }
}
