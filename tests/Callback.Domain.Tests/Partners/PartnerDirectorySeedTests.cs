using Callback.Domain.Content;
using Callback.Domain.Partners;

namespace Callback.Domain.Tests.Partners;

public class PartnerDirectorySeedTests
{
    private static readonly IReadOnlyList<Partner> Seed = PartnerDirectorySeed.Load();

    [Fact]
    public void Seed_HasTheFourNationalNumbers_ForEveryDepartement()
    {
        var national = Seed.Where(p => p.IsNational).ToDictionary(p => p.Phone, p => p.Kind);

        Assert.Equal(PartnerKind.Helpline, national["3919"]);
        Assert.Equal(PartnerKind.Shelter, national["115"]);
        Assert.Equal(PartnerKind.Emergency, national["17"]);
        Assert.Equal(PartnerKind.VictimSupport, national["116 006"]);
        Assert.All(Seed.Where(p => p.IsNational), p => Assert.True(p.Serves("72")));
    }

    [Fact]
    public void Seed_HasAVictimSupportAssociationAndASocialWorker_InEachDemoDepartement()
    {
        Assert.Equal(["31", "62", "72", "974"], Seed.Select(p => p.Departement).OfType<string>().Distinct().Order(StringComparer.Ordinal));
        foreach (var departement in new[] { "31", "62", "72", "974" })
        {
            var local = Seed.Where(p => p.Departement == departement).ToList();
            var association = Assert.Single(local, p => p.Kind == PartnerKind.VictimSupport);
            Assert.StartsWith($"France Victimes {departement} – ", association.Name, StringComparison.Ordinal);
            Assert.Single(local, p => p.Kind == PartnerKind.SocialWorker);
        }

        Assert.Contains(Seed, p => p.Departement == "974" && p.Kind == PartnerKind.Lawyer);
    }

    [Fact]
    public void Seed_LocalNumbers_AreAllInTheFictionalRange()
    {
        Assert.All(Seed.Where(p => !p.IsNational), p => Assert.StartsWith("01 99 00 ", p.Phone, StringComparison.Ordinal));
        Assert.All(Seed.Where(p => p.Email is not null), p => Assert.EndsWith(".example", p.Email, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_GivesNewUnsavedPartnersEachTime()
    {
        var again = PartnerDirectorySeed.Load();

        Assert.Equal(Seed.Count, again.Count);
        Assert.NotSame(Seed[0], again[0]);
        Assert.All(again, p => Assert.Equal(0, p.Id));
        Assert.All(again, p => Assert.True(p.Active));
    }

    [Fact]
    public void MalformedSeed_ReportsEveryBadEntryWithItsPlace()
    {
        const string json = """
            {
              "national": [ { "kind": "helpline", "name": "3919 – Violences Femmes Info", "phone": "3919" } ],
              "departements": {
                "20": [ { "kind": "victimSupport", "name": "France Victimes 20", "phone": "01 99 00 20 01" } ],
                "62": [
                  { "kind": "victimSupport", "name": "France Victimes 62" },
                  { "kind": "notary", "name": "Étude", "phone": "01 99 00 62 09" }
                ]
              }
            }
            """;

        var error = Assert.Throws<DataFileException>(() => PartnerDirectorySeed.Parse(json, "test-partners.json"));

        Assert.Equal(3, error.Problems.Count);
        Assert.StartsWith("departements.20[0] (\"France Victimes 20\"): \"20\" is not a département code", error.Problems[0], StringComparison.Ordinal);
        Assert.StartsWith("departements.62[0] (\"France Victimes 62\"): A partner needs a phone number.", error.Problems[1], StringComparison.Ordinal);
        Assert.StartsWith("departements.62[1] (\"Étude\").kind: \"notary\" is not one of victimSupport, socialWorker", error.Problems[2], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("62", true)]
    [InlineData("974", false)]
    public void ALocalPartner_ServesOnlyItsDepartement(string departement, bool serves)
    {
        var partner = new Partner("62", PartnerKind.VictimSupport, "France Victimes 62", "01 99 00 62 01");

        Assert.Equal(serves, partner.Serves(departement));
    }
}
