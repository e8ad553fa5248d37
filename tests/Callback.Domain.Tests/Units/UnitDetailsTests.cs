using Callback.Domain.Units;

namespace Callback.Domain.Tests.Units;

public sealed class UnitDetailsTests
{
    [Theory]
    [InlineData("62", "Europe/Paris")]
    [InlineData("2a", "Europe/Paris")]
    [InlineData("971", "America/Guadeloupe")]
    [InlineData("972", "America/Martinique")]
    [InlineData("973", "America/Cayenne")]
    [InlineData("974", "Indian/Reunion")]
    [InlineData("976", "Indian/Mayotte")]
    public void Checked_WithoutAZone_TakesTheDepartementsZone(string departement, string zone)
    {
        var details = new UnitDetails("Cellule", departement).Checked();

        Assert.Equal(zone, details.TimeZoneId);
        Assert.Equal(departement.ToUpperInvariant(), details.Departement);
    }

    [Theory]
    [InlineData("00")]
    [InlineData("20")]
    [InlineData("96")]
    [InlineData("975")]
    [InlineData("977")]
    [InlineData("2C")]
    [InlineData("6")]
    [InlineData("")]
    public void Checked_RefusesWhatIsNotADepartement(string departement)
    {
        var error = Assert.Single(Assert.Throws<InvalidUnitException>(() => new UnitDetails("Cellule", departement).Checked()).Errors);

        Assert.Equal(UnitField.Departement, error.Field);
    }

    [Fact]
    public void Checked_NamesEveryWrongField_AndNormalisesTheRightOnes()
    {
        var errors = Assert.Throws<InvalidUnitException>(() =>
            new UnitDetails("", "62", "Romance Standard Time", "12", "ftp://x", -1, "not-an-address").Checked()).Errors;
        var good = new UnitDetails(" Cellule ", "62", "Europe/Paris", "03 21 00 00 00", "https://example.fr/aide", 30, "cellule@example.fr").Checked();

        Assert.Equal(
            [UnitField.Name, UnitField.TimeZone, UnitField.SwitchboardPhone, UnitField.HelpPageUrl, UnitField.DailyCallCapacity, UnitField.EscalationEmail],
            errors.Select(e => e.Field));
        Assert.Equal(("Cellule", "+33321000000"), (good.Name, good.SwitchboardPhone));
    }

    [Fact]
    public void Update_ReturnsTheFieldsChanged_AndCountsAVersionOnlyWhenSomethingChanged()
    {
        var unit = Unit.Create("CTC-62", new UnitDetails("Cellule", "62"));

        var none = unit.Update(unit.Details);
        var changed = unit.Update(unit.Details with { Departement = "974", TimeZoneId = null });

        Assert.Empty(none);
        Assert.Equal([UnitField.Departement, UnitField.TimeZone], changed);
        Assert.Equal(("Indian/Reunion", 1), (unit.TimeZoneId, unit.Version));
    }
}
