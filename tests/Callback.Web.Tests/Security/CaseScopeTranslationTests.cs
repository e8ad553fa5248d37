using Callback.Domain.Access;
using Callback.Domain.Identity;
using Callback.Domain.Units;
using Callback.Domain.Workflow;
using Callback.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Callback.Web.Tests.Security;

/// <summary>
/// The scope rule has one source, CaseScope: the expression EF Core translates must keep exactly the cases the compiled
/// in-memory check accepts, on each provider, for every kind of actor.
/// </summary>
public sealed class CaseScopeTranslationTests
{
    private static IEnumerable<(string Name, Func<Harness, int, int, Actor> Make)> Actors()
    {
        yield return ("officer of A (62)", (h, _, _) => h.OfficerA);
        yield return ("officer of B (59)", (h, _, _) => h.OfficerB);
        yield return ("officer of Arras (62)", (_, arras, _) => Actor.User("officer-arras", arras, "62", Roles.Officer));
        yield return ("supervisor 62", (h, _, _) => h.Supervisor);
        yield return ("dispatcher 62", (h, _, _) => h.Dispatcher);
        yield return ("supervisor 974", (_, _, reunion) => Actor.User("supervisor-974", reunion, "974", Roles.Supervisor));
        yield return ("dispatcher 59", (h, _, _) => Actor.User("dispatcher-59", h.UnitB, "59", Roles.Dispatcher));
        yield return ("admin", (_, _, _) => Harness.Admin);
        yield return ("system", (_, _, _) => Actor.System);
        yield return ("no role", (h, _, _) => Actor.User("nobody", h.UnitA, "62"));
        yield return ("supervisor without a unit", (_, _, _) => Actor.User("floating", null, null, Roles.Supervisor));
        yield return ("officer without a unit", (_, _, _) => Actor.User("unplaced", null, "62", Roles.Officer));
        // Two roles whose scopes do not overlap (a data slip, but the rule must still be one rule): both parts count.
        yield return ("officer of 974 and supervisor 59", (h, _, reunion) => Actor.User("both", reunion, "59", Roles.Officer, Roles.Supervisor));
    }

    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task TheTranslatedScope_KeepsExactlyTheCasesTheCompiledCheckAccepts_ForEveryActor(DatabaseProvider provider)
    {
        await using var h = await Harness.CreateAsync(provider);
        int arras, reunion;
        await using (var db = await h.Databases.CreateDbContextAsync())
        {
            var a = new Unit("BR-ARRAS", "Brigade d'Arras", "62", "Europe/Paris");
            var r = new Unit("BR-STDENIS", "Brigade de Saint-Denis", "974", "Indian/Reunion");
            db.Units.AddRange(a, r);
            await db.SaveChangesAsync();
            (arras, reunion) = (a.Id, r.Id);
        }

        foreach (var (unit, count) in new[] { ("CTC-62", 3), ("CTC-59", 2), ("BR-ARRAS", 2), ("BR-STDENIS", 1) })
        {
            for (var i = 0; i < count; i++)
            {
                await h.Workflow.OpenAsync(unit, h.Facts($"{unit}-{i}"), Harness.Admin);
            }
        }

        await using var read = await h.Databases.CreateDbContextAsync();
        var all = await read.Cases.AsNoTracking().Include(c => c.Unit).ToListAsync();
        var units = await read.Units.AsNoTracking().ToListAsync();
        Assert.Equal(8, all.Count);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (name, make) in Actors())
        {
            var actor = make(h, arras, reunion);

            var translated = await read.Cases.AsNoTracking().InScopeOf(actor).Select(c => c.Id).ToListAsync();
            var compiled = all.Where(c => actor.CanSee(c.Unit!)).Select(c => c.Id).ToList();
            var translatedUnits = await read.Units.AsNoTracking().Where(CaseScope.ForUnits(actor)).Select(u => u.Id).ToListAsync();
            var compiledUnits = units.Where(actor.CanSee).Select(u => u.Id).ToList();

            Assert.True(compiled.Order().SequenceEqual(translated.Order()), $"{name}: the query and the in-memory check disagree on cases");
            Assert.True(compiledUnits.Order().SequenceEqual(translatedUnits.Order()), $"{name}: the query and the in-memory check disagree on units");
            seen[name] = translated.Count;
        }

        // Both forms could agree and still be wrong: the counts PRODUCT.md's rule gives, written out.
        Assert.Equal(3, seen["officer of A (62)"]);
        Assert.Equal(2, seen["officer of B (59)"]);
        Assert.Equal(2, seen["officer of Arras (62)"]);
        Assert.Equal(5, seen["supervisor 62"]);
        Assert.Equal(5, seen["dispatcher 62"]);
        Assert.Equal(1, seen["supervisor 974"]);
        Assert.Equal(2, seen["dispatcher 59"]);
        Assert.Equal(8, seen["admin"]);
        Assert.Equal(8, seen["system"]);
        Assert.Equal(0, seen["no role"]);
        Assert.Equal(0, seen["supervisor without a unit"]);
        Assert.Equal(0, seen["officer without a unit"]);
        Assert.Equal(3, seen["officer of 974 and supervisor 59"]);
    }

    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task TheScopedQuery_IsAsLeanAsTheHandWrittenOne(DatabaseProvider provider)
    {
        await using var h = await Harness.CreateAsync(provider);
        await using var db = await h.Databases.CreateDbContextAsync();

        var officer = Sql(db.Cases.InScopeOf(h.OfficerA).Select(c => c.Id));
        var supervisor = Sql(db.Cases.InScopeOf(h.Supervisor).Select(c => c.Id));
        var admin = Sql(db.Cases.InScopeOf(Harness.Admin).Select(c => c.Id));

        // An officer's queue reads the case's own UnitId: no join to Units, and the unit is a parameter, not a literal
        // (one cached plan for every unit).
        Assert.DoesNotContain("JOIN", officer, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain($"= {h.UnitA}", officer, StringComparison.Ordinal);
        Assert.Contains("= @", officer, StringComparison.Ordinal);
        Assert.DoesNotContain(" OR ", officer, StringComparison.OrdinalIgnoreCase);
        // A supervisor's filter is the département alone; an admin's query has no filter at all.
        Assert.DoesNotContain(" OR ", supervisor, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("'62'", supervisor, StringComparison.Ordinal);
        Assert.Contains("= @", supervisor, StringComparison.Ordinal);
        Assert.DoesNotContain("WHERE", admin, StringComparison.OrdinalIgnoreCase);
    }

    // ToQueryString prints the parameters' values above the statement (".param set" on SQLite, "--" on PostgreSQL).
    private static string Sql<T>(IQueryable<T> query) =>
        string.Join('\n', query.ToQueryString().Split('\n').Where(l => !l.StartsWith(".param", StringComparison.Ordinal) && !l.StartsWith("--", StringComparison.Ordinal)));
}
