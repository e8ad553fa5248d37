using Callback.Domain.Cases;
using Callback.Domain.Identity;
using Callback.Domain.Workflow;
using Callback.Web.Features.Account;
using Callback.Web.Features.Supervision;
using Callback.Web.Live;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Callback.Web.Components.Tests;

/// <summary>
/// Issue 16.5: "Supervision once lost its document title during a live re-render". The page under its head outlet, kept
/// open while cases change: the title stays through every pushed read and every tick that reads again.
/// </summary>
public sealed class SupervisionPageTests : CallbackComponentTest
{
    private readonly UnitDatabase _database;
    private readonly CaseChangeBroadcaster _changes = new(NullLogger<CaseChangeBroadcaster>.Instance);

    public SupervisionPageTests()
        : this(UnitDatabase.OnFakeClock())
    {
    }

    private SupervisionPageTests(UnitDatabase database)
        : base(database.Workflow)
    {
        _database = database;
        SignInToUnit("Superviseur 62", "supervisor-62", Roles.Supervisor, _database.UnitId);
    }

    protected override void AddServices(IServiceCollection services)
    {
        services.AddScoped<CurrentUser>();
        services.AddSingleton(_ => _changes);
        services.AddSingleton(_ => _database.Databases);
        services.AddSingleton<SupervisionService>();
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new WorkflowOptions()));
        services.AddSingleton<CapacityForecastService>();
        services.AddSingleton<HandoverService>();
        services.AddSingleton<ProposedPatrolsService>();
    }

    [Fact]
    public async Task TheTitle_StaysThroughLiveReads_AsCasesChange()
    {
        var page = Render(builder =>
        {
            builder.OpenComponent<HeadOutlet>(0);
            builder.CloseComponent();
            builder.OpenComponent<SupervisionPage>(1);
            builder.CloseComponent();
        });
        page.WaitForAssertion(() => Assert.Equal("Supervision · Callback", page.Find("title").TextContent));

        var officer = Actor.User("officer-62", _database.UnitId, "62", Roles.Officer);
        for (var i = 1; i <= 3; i++)
        {
            var id = await _database.Workflow.OpenAsync("CTC-62", new NewCase($"62-2026-00000{i}", _database.Clock.GetUtcNow().UtcDateTime.AddHours(-1),
                OffenceCategory.ConjugalViolence, new Victim("Camille", "Martin", "0612345678", "3 rue des Lilas"), new Perpetrator("Marc Durand", TriState.Yes)), officer);
            int version;
            await using (var read = await _database.Databases.CreateDbContextAsync(Xunit.TestContext.Current.CancellationToken))
            {
                version = await read.Cases.Where(c => c.Id == id).Select(c => c.Version).SingleAsync(Xunit.TestContext.Current.CancellationToken);
            }

            // Reviewed as high danger: a call due within hours, on the "due soon" list.
            await _database.Workflow.ReviewAsync(id, version, new ReviewFindings(TriState.No, false, false, false, false, TriState.Unknown,
                ProtectionMeasures.None, DangerLevel.High, ImmediateDanger: false), officer);
            _changes.Publish(new CaseChanged(id, _database.UnitId, "62", CaseState.AwaitingContact, nameof(CaseTrigger.Review), Now));
            // A read a change pushed, then the half-minute read of the ticks.
            page.WaitForAssertion(() => Assert.Contains($"62-2026-00000{i}", page.Markup, StringComparison.Ordinal));
            Assert.Equal("Supervision · Callback", page.Find("title").TextContent);
            Clock.Advance(TimeSpan.FromSeconds(31));
            Assert.Equal("Supervision · Callback", page.Find("title").TextContent);
        }

        await using var db = await _database.Databases.CreateDbContextAsync(Xunit.TestContext.Current.CancellationToken);
        Assert.Equal(3, await db.Cases.CountAsync(Xunit.TestContext.Current.CancellationToken));
    }
}
