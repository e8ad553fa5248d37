using Callback.Domain.Cases;
using Callback.Domain.People;

namespace Callback.Domain.Tests.People;

public class PersonNamesTests
{
    [Theory]
    [InlineData("Hélène LEFÈVRE", "helene lefevre")]
    [InlineData("  Jean-Pierre   d'Arc ", "jean pierre d arc")]
    [InlineData("Lætitia Œuvray", "laetitia oeuvray")]
    [InlineData("ÇA", "ca")]
    public void Normalise_DropsCaseAccentsAndPunctuation(string text, string expected) =>
        Assert.Equal(expected, PersonNames.Normalise(text));

    [Theory]
    [InlineData("Lefèvre", "Lefebvre")]
    [InlineData("Catherine", "Katrine")]
    [InlineData("Dupont", "Dupond")]
    [InlineData("Philippe", "Filipe")]
    [InlineData("Durand", "Durant")]
    [InlineData("Martin", "Martine")]
    [InlineData("Gauthier", "Gautier")]
    public void Phonetic_GivesTheSameKeyToSpellingsOfOneName(string a, string b) =>
        Assert.Equal(PersonNames.Phonetic(a), PersonNames.Phonetic(b));

    [Theory]
    [InlineData("Martin", "Bernard")]
    [InlineData("Dupont", "Dupuis")]
    [InlineData("Lefèvre", "Leroy")]
    public void Phonetic_TellsDifferentNamesApart(string a, string b) =>
        Assert.NotEqual(PersonNames.Phonetic(a), PersonNames.Phonetic(b));

    [Fact]
    public void FullNameKey_IsTheSameWhateverTheOrderOfTheWords() =>
        Assert.Equal(PersonNames.FullNameKey("DUPONT Marie-Hélène"), PersonNames.FullNameKey("Marie Hélène", "Dupont"));

    [Theory]
    [InlineData("12, Bd de la République", "12 boulevard république")]
    [InlineData("12 boulevard République", "12 boulevard république")]
    [InlineData("3 r. des Lilas", "3 rue lilas")]
    public void AddressKey_WritesAbbreviationsOutAndDropsArticles(string address, string expectedKeyOf) =>
        Assert.Equal(PersonNames.Normalise(expectedKeyOf), PersonNames.AddressKey(address));

    [Fact]
    public void KeysOfACase_CarryThePhoneInE164_AndTheNameWithBirthDateOnlyWhenGiven()
    {
        var policy = new DeadlinePolicy(new WorkflowOptions());
        var unit = new Callback.Domain.Units.Unit("CTC-62", "Cellule 62", "62", "Europe/Paris");
        var facts = new NewCase("62-1", new DateTime(2026, 3, 1, 20, 0, 0, DateTimeKind.Utc), OffenceCategory.ConjugalViolence,
            new Victim("Hélène", "Lefèvre", "+33612345678", "3 rue des Lilas", new DateOnly(1985, 1, 31)), new Perpetrator("DURAND Marc", TriState.Yes));
        var keys = PersonKey.Of(Case.Open(facts, unit, new DateTime(2026, 3, 2, 0, 0, 0, DateTimeKind.Utc), policy));

        Assert.Contains(keys, k => k is { Role: PersonRole.Victim, Kind: PersonKeyKind.Phone, Value: "+33612345678" });
        Assert.Contains(keys, k => k is { Role: PersonRole.Victim, Kind: PersonKeyKind.NameAndBirthDate, Value: "helene lefevre|1985-01-31" });
        Assert.Contains(keys, k => k is { Role: PersonRole.File, Kind: PersonKeyKind.Reference, Value: "62-1" });
        Assert.Contains(keys, k => k is { Role: PersonRole.Perpetrator, Kind: PersonKeyKind.NameToken, Value: "durand" });
        // No birth date for him: his name alone matches nobody.
        Assert.DoesNotContain(keys, k => k is { Role: PersonRole.Perpetrator, Kind: PersonKeyKind.NameAndBirthDate });
    }
}
