using System.Net;

namespace Callback.Web.Tests.Security;

/// <summary>The language switch and the sign-in form send the reader back only to a plain local path, and never fail.</summary>
public sealed class ReturnUrlTests
{
    [Theory]
    [InlineData("/%09/evil.example")]
    [InlineData("/%0A/evil.example")]
    [InlineData("/%C2%BF")]
    [InlineData("/%E2%80%8Bqueue")]
    [InlineData("/%E2%80%AEeuq")]
    [InlineData("//evil.example")]
    [InlineData("/%5Cevil.example")]
    [InlineData("https://evil.example/")]
    public async Task TheLanguageSwitch_WithAReturnAddressThatIsNotAPlainLocalPath_GoesBackToTheHomePage(string returnUrl)
    {
        await using var site = await SecuredSite.StartAsync();
        var response = await site.Anonymous().GetAsync(new Uri($"/culture?culture=en&returnUrl={returnUrl}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        // "/" sends each role on to its own page (LandingTests).
        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task TheLanguageSwitch_GoesBackToAPlainLocalPath_WithItsQuery()
    {
        await using var site = await SecuredSite.StartAsync();
        var response = await site.Anonymous().GetAsync(new Uri("/culture?culture=en&returnUrl=%2Fdispatch%3Ftier%3D2", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/dispatch?tier=2", response.Headers.Location?.OriginalString);
    }
}
