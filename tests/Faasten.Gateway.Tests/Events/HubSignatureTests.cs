using System.Text;
using Faasten.Gateway.Events;

namespace Faasten.Gateway.Tests.Events;

public sealed class HubSignatureTests
{
    [Fact]
    public void Verify_GitHubsDocumentedExample()
    {
        // From GitHub's "Validating webhook deliveries" documentation.
        const string header = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
        Assert.True(HubSignature.Verify("It's a Secret to Everybody", Encoding.UTF8.GetBytes("Hello, World!"), header));
        Assert.Equal(header, HubSignature.Sign("It's a Secret to Everybody", Encoding.UTF8.GetBytes("Hello, World!")));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e18")]
    [InlineData("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1")]
    [InlineData("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1z")]
    [InlineData("757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")]
    public void Verify_WrongOrMalformed_IsFalse(string? header)
    {
        Assert.False(HubSignature.Verify("It's a Secret to Everybody", Encoding.UTF8.GetBytes("Hello, World!"), header));
    }
}
