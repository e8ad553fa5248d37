using System.Globalization;
using System.Xml.Linq;
using Callback.Web.Localization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace Callback.Web.Components.Tests;

/// <summary>
/// The localizer that remembers what it read answers exactly what ASP.NET Core's own answers: every string of the UI's
/// resources in both languages, read twice and after a change of language, with arguments in the current culture, and a
/// missing name as the name itself.
/// </summary>
public sealed class MemoizedLocalizationTests : IDisposable
{
    private readonly CultureInfo _culture = CultureInfo.CurrentCulture;
    private readonly CultureInfo _uiCulture = CultureInfo.CurrentUICulture;
    private readonly ServiceProvider _memoized = new ServiceCollection().AddLogging().AddCallbackLocalization().BuildServiceProvider();
    private readonly ServiceProvider _plain = new ServiceCollection().AddLogging().AddLocalization().BuildServiceProvider();

    [Fact]
    public void EveryString_InBothLanguages_ReadsAsTheResourcesSay_AtEachReadAndAfterEachSwitch()
    {
        var memoized = _memoized.GetRequiredService<IStringLocalizer<Text>>();
        var plain = _plain.GetRequiredService<IStringLocalizer<Text>>();
        var names = XDocument.Load(Path.Combine(ResourcePairsTests.RepositoryRoot(), "src", "Callback.Web", "Localization", "Text.resx"))
            .Root!.Elements("data").Select(d => (string)d.Attribute("name")!).ToList();
        Assert.True(names.Count > 400, $"only {names.Count} names read from Text.resx");

        foreach (var culture in new[] { "fr-FR", "en-GB", "fr-FR", "en-GB" })
        {
            Use(culture);
            foreach (var name in names)
            {
                var expected = plain[name];
                var actual = memoized[name];
                Assert.False(actual.ResourceNotFound, $"{name} not found in {culture}");
                Assert.Equal((culture, name, expected.Value), (culture, name, actual.Value));
            }
        }

        Use("fr-FR");
        Assert.Equal("Enregistré.", memoized["Saved"].Value);
        Use("en-GB");
        Assert.NotEqual("Enregistré.", memoized["Saved"].Value);
        Assert.Equal(plain["Saved"].Value, memoized["Saved"].Value);
    }

    [Fact]
    public void Arguments_AreFormattedAtEachCall_InTheCurrentCulture()
    {
        var memoized = _memoized.GetRequiredService<IStringLocalizer<Text>>();
        var plain = _plain.GetRequiredService<IStringLocalizer<Text>>();

        Use("fr-FR");
        Assert.Equal("1–50 sur 1 234", memoized["QueuePosition", 1, 50, "1 234"].Value);
        Assert.Equal(plain["QueuePosition", 51, 100, 12345.5].Value, memoized["QueuePosition", 51, 100, 12345.5].Value);
        Assert.Contains("12345,5", memoized["QueuePosition", 51, 100, 12345.5].Value, StringComparison.Ordinal);
        Use("en-GB");
        Assert.Equal(plain["QueuePosition", 51, 100, 12345.5].Value, memoized["QueuePosition", 51, 100, 12345.5].Value);
        Assert.Contains("12345.5", memoized["QueuePosition", 51, 100, 12345.5].Value, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingName_IsAnsweredByTheName_AndSaysSo_EachTime()
    {
        var memoized = _memoized.GetRequiredService<IStringLocalizer<Text>>();
        Use("fr-FR");
        for (var i = 0; i < 2; i++)
        {
            var missing = memoized["NoSuchKey.Anywhere"];
            Assert.True(missing.ResourceNotFound);
            Assert.Equal("NoSuchKey.Anywhere", missing.Value);
            Assert.True(memoized["NoSuchKey {0}", 3].ResourceNotFound);
            Assert.Equal("NoSuchKey 3", memoized["NoSuchKey {0}", 3].Value);
        }
    }

    [Fact]
    public void OneLocalizerPerResource_IsShared_ByEveryoneWhoAsks()
    {
        var factory = _memoized.GetRequiredService<IStringLocalizerFactory>();
        Assert.Same(factory.Create(typeof(Text)), factory.Create(typeof(Text)));
        Assert.NotSame(factory.Create(typeof(Text)), factory.Create(typeof(AdminText)));
        Use("en-GB");
        Assert.Equal(
            _plain.GetRequiredService<IStringLocalizer<AdminText>>().GetAllStrings(true).Select(s => (s.Name, s.Value)),
            _memoized.GetRequiredService<IStringLocalizer<AdminText>>().GetAllStrings(true).Select(s => (s.Name, s.Value)));
    }

    private static void Use(string culture)
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
    }

    public void Dispose()
    {
        CultureInfo.CurrentCulture = _culture;
        CultureInfo.CurrentUICulture = _uiCulture;
        _memoized.Dispose();
        _plain.Dispose();
    }
}
