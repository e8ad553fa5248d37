using System.Globalization;
using Callback.Domain.Cases;
using Callback.Domain.Contact;

namespace Callback.Domain.Tests.Contact;

public class SafeContactWarningsTests
{
    private const string SafePhone = "06 12 34 56 78";

    [Theory]
    // Paris, safe from 20:00 to 08:00: winter is UTC+1 ...
    [InlineData("Europe/Paris", "2026-01-15T22:30:00Z", false)]
    [InlineData("Europe/Paris", "2026-01-15T06:59:00Z", false)]
    [InlineData("Europe/Paris", "2026-01-15T07:00:00Z", true)]
    [InlineData("Europe/Paris", "2026-01-15T18:59:00Z", true)]
    [InlineData("Europe/Paris", "2026-01-15T19:00:00Z", false)]
    // ... and summer UTC+2: the same UTC instants fall on the other side of the window's edges.
    [InlineData("Europe/Paris", "2026-07-15T06:30:00Z", true)]
    [InlineData("Europe/Paris", "2026-07-15T18:30:00Z", false)]
    // Réunion, safe from 20:00 to 08:00, UTC+4 all year.
    [InlineData("Indian/Reunion", "2026-01-15T16:00:00Z", false)]
    [InlineData("Indian/Reunion", "2026-01-15T15:59:00Z", true)]
    [InlineData("Indian/Reunion", "2026-01-15T20:00:00Z", false)]
    [InlineData("Indian/Reunion", "2026-01-16T03:59:00Z", false)]
    [InlineData("Indian/Reunion", "2026-01-16T04:00:00Z", true)]
    public void SafeHoursAcrossMidnight_AreReadInTheUnitsTimeZone(string zone, string nowUtc, bool outside)
    {
        var safe = Safe(new TimeOnly(20, 0), new TimeOnly(8, 0));

        var warnings = SafeContactWarnings.BeforeCall(safe, zone, SafePhone, Utc(nowUtc));

        Assert.Equal(outside, warnings.Any(w => w.Code == SafeContactWarningCode.OutsideSafeHours));
    }

    [Fact]
    public void TheVictimsOwnTimeZone_WinsOverTheUnits()
    {
        // She lives in Réunion, the unit calling her works on Paris time.
        var safe = Safe(new TimeOnly(21, 0), new TimeOnly(6, 0)) with { TimeZoneId = "Indian/Reunion" };

        // 22:00 in Réunion (19:00 in Paris, which would be outside).
        var evening = SafeContactWarnings.BeforeCall(safe, "Europe/Paris", SafePhone, Utc("2026-01-15T18:00:00Z"));
        // 07:00 in Réunion (04:00 in Paris, which would be inside).
        var morning = SafeContactWarnings.BeforeCall(safe, "Europe/Paris", SafePhone, Utc("2026-01-16T03:00:00Z"));

        Assert.Empty(evening);
        var warning = Assert.Single(morning);
        Assert.Equal(SafeContactWarningCode.OutsideSafeHours, warning.Code);
        Assert.Equal("Hors des heures sûres de la victime : il est 07:00 dans son fuseau horaire (Indian/Reunion) ; la victime peut parler de 21:00 à 06:00.", warning.Text.Fr);
    }

    [Theory]
    [InlineData(SafePhone, "+33 6 12 34 56 78", false)]
    [InlineData(SafePhone, "0033612345678", false)]
    [InlineData("06.12.34.56.78", "+33 (0)6 12 34 56 78", false)]
    [InlineData("0692 12 34 56", "+262 692 12 34 56", false)]
    [InlineData(SafePhone, "06 12 34 56 79", true)]
    [InlineData("0692 12 34 56", "0262 12 34 56", true)]
    [InlineData(SafePhone, null, true)]
    public void ANumberOtherThanTheSafeOne_IsWarnedAbout_HoweverItIsWritten(string safePhone, string? dialled, bool warned)
    {
        var safe = Safe() with { SafePhone = safePhone };

        var warnings = SafeContactWarnings.BeforeCall(safe, "Europe/Paris", dialled, Utc("2026-01-15T10:00:00Z"));

        Assert.Equal(warned, warnings.Any(w => w.Code == SafeContactWarningCode.NumberNotMarkedSafe));
    }

    [Fact]
    public void NoSafeNumberRecorded_IsWarnedAbout()
    {
        var warning = Assert.Single(SafeContactWarnings.BeforeCall(SafeContact.None, "Europe/Paris", SafePhone, Utc("2026-01-15T10:00:00Z")));

        Assert.Equal(SafeContactWarningCode.NumberNotMarkedSafe, warning.Code);
        Assert.StartsWith("Aucun numéro sûr", warning.Text.Fr, StringComparison.Ordinal);
    }

    [Fact]
    public void ChannelVoicemailAndCodeWord_AreRemindedInThatOrder_WithoutRevealingTheCodeWord()
    {
        var safe = Safe() with { Channel = ContactChannel.Sms, NoVoicemail = true, CodeWord = "tournesol" };

        var warnings = SafeContactWarnings.BeforeCall(safe, "Europe/Paris", SafePhone, Utc("2026-01-15T10:00:00Z"));

        Assert.Equal([SafeContactWarningCode.ChannelNotPhone, SafeContactWarningCode.NoVoicemail, SafeContactWarningCode.CodeWord], warnings.Select(w => w.Code));
        Assert.All(warnings, w => Assert.DoesNotContain("tournesol", w.Text.Fr + w.Text.En, StringComparison.OrdinalIgnoreCase));
        Assert.Contains("SMS", warnings[0].Text.Fr, StringComparison.Ordinal);
    }

    [Fact]
    public void ACallToTheSafeNumberWithinSafeHours_HasNoWarning()
    {
        var warnings = SafeContactWarnings.BeforeCall(Safe(new TimeOnly(9, 0), new TimeOnly(18, 0)), "Indian/Reunion", "+33 6 12 34 56 78", Utc("2026-01-15T08:00:00Z"));

        Assert.Empty(warnings);
    }

    [Fact]
    public void NoSafeNumberGiven_SaysSheNamedNone_NotThatNobodyAsked()
    {
        var safe = SafeContact.None with { NoSafeNumberGiven = true };

        var warning = Assert.Single(SafeContactWarnings.BeforeCall(safe, "Europe/Paris", "06 99 99 99 99", Utc("2026-01-15T10:00:00Z")));

        Assert.Equal(SafeContactWarningCode.NumberNotMarkedSafe, warning.Code);
        Assert.StartsWith("La victime n'a donné aucun numéro sûr", warning.Text.Fr, StringComparison.Ordinal);
    }

    [Fact]
    public void AThirdPartyChannel_WarnsAgainstCallingHerDirectly()
    {
        var warnings = SafeContactWarnings.BeforeCall(Safe() with { Channel = ContactChannel.ThirdParty }, "Europe/Paris", SafePhone, Utc("2026-01-15T10:00:00Z"));

        var warning = Assert.Single(warnings);
        Assert.Equal(SafeContactWarningCode.ChannelNotPhone, warning.Code);
        Assert.Contains("tiers", warning.Text.Fr, StringComparison.Ordinal);
    }

    private static SafeContact Safe(TimeOnly? from = null, TimeOnly? until = null) =>
        new(SafePhone, from, until, null, ContactChannel.Phone, NoVoicemail: false, CodeWord: null);

    private static DateTime Utc(string iso) => DateTime.Parse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
}
