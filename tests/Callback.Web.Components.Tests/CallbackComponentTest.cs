using System.Globalization;
using Callback.Domain.Cases;
using Callback.Domain.Units;
using Callback.Domain.Workflow;
using Callback.Web.Localization;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using MudBlazor.Services;

namespace Callback.Web.Components.Tests;

/// <summary>
/// The one bUnit base: MudBlazor's services, loose JS interop, a popover provider, French resources, a fake clock, and a
/// workflow service whose database is never reached (the components under test only render), unless a test brings a real one.
/// </summary>
public abstract class CallbackComponentTest : BunitContext
{
    protected internal static readonly DateTime Now = new(2026, 3, 3, 9, 0, 0, DateTimeKind.Utc);

    protected CallbackComponentTest()
        : this(workflow: null)
    {
    }

    /// <summary>With <paramref name="workflow"/>, the components act on a real database (clicks asserted); without, they only render.</summary>
    protected CallbackComponentTest(CaseWorkflowService? workflow)
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("fr-FR");
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddCallbackLocalization();
        Clock = new FakeTimeProvider(new DateTimeOffset(Now));
        Services.AddSingleton<TimeProvider>(Clock);
        Services.AddSingleton(Domain.Contact.DangerGrid.Default);
        Services.AddSingleton(Domain.Contact.Questionnaire.Default);
        Services.AddSingleton(Options.Create(new Domain.Contact.DangerGridOptions()));
        Services.AddSingleton(workflow ?? new CaseWorkflowService(null!, Clock, Options.Create(new WorkflowOptions()), new NoAlarms(), new NoNotifications(), NullLogger<CaseWorkflowService>.Instance));
        // Live pages read at once when they hear of a change, and their safety-net read comes at the 30th tick, so that a
        // test knows when a page reads; LivePageTests prove the settle on the fake clock and the drawn safety-net tick.
        Services.AddSingleton(Options.Create(new Callback.Web.Live.LiveOptions { ChangeSettleDelay = TimeSpan.Zero, FirstSafetyNetRead = 30 }));
        JobStore = new Jobs.JobStoreStatus(Clock);
        Services.AddSingleton(JobStore);
        // Nobody signed in until a test says who (Authorization.SetAuthorized(...).SetRoles(...)).
        Authorization = AddAuthorization();
        AddServices(Services);
        // After every registration: reaching the renderer builds the service provider.
        SetRendererInfo(new RendererInfo("Server", true));
        Render<MudPopoverProvider>();
    }

    protected FakeTimeProvider Clock { get; }

    /// <summary>
    /// A test class's own services, registered before the provider is built. Runs inside the base constructor: use only
    /// what field initializers have set.
    /// </summary>
    protected virtual void AddServices(IServiceCollection services)
    {
    }

    /// <summary>What the layout's banner reads; tests report failures and successes into it.</summary>
    protected Jobs.JobStoreStatus JobStore { get; }

    protected Bunit.TestDoubles.BunitAuthorizationContext Authorization { get; }

    /// <summary>Signs in a member of a unit of the département 62, with the claims <c>CurrentUser</c> reads.</summary>
    protected void SignInToUnit(string name, string id, string role, int unitId) =>
        Authorization.SetAuthorized(name).SetRoles(role).SetClaims(
            new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, id),
            new System.Security.Claims.Claim(Features.Account.CallbackClaims.UnitId, unitId.ToString(CultureInfo.InvariantCulture)),
            new System.Security.Claims.Claim(Features.Account.CallbackClaims.Departement, "62"));

    protected static readonly WorkflowOptions WorkflowOptions = new();
    protected static readonly DeadlinePolicy Policy = new(WorkflowOptions);

    protected static Unit Unit { get; } = new("CTC-62", "Cellule 62", "62", "Europe/Paris");

    protected static Case CaseIn(CaseState state, OffenceCategory offence = OffenceCategory.ConjugalViolence, SafeContact? safe = null, TriState cohabiting = TriState.Yes)
    {
        var intervention = Now.AddHours(-30);
        var c = Case.Open(new NewCase("62-2026-000777", intervention, offence, new Victim("Camille", "Martin", "0612345678", "3 rue des Lilas"),
            new Perpetrator("Marc Durand", cohabiting)), Unit, intervention.AddHours(1), Policy);
        if (state == CaseState.AwaitingReview)
        {
            return c;
        }

        c.Review(new ReviewFindings(cohabiting, false, false, false, false, TriState.No, ProtectionMeasures.None, DangerLevel.Moderate, false, safe), intervention.AddHours(2), Policy);
        switch (state)
        {
            case CaseState.AwaitingContact:
                return c;
            case CaseState.FollowUp:
                // Reached and put under the moderate plan (J+7, J+30).
                c.RecordContact(new ContactReport(false, DangerLevel.Moderate, false, null) { Then = AfterContact.FollowUp }, "officer-1", intervention.AddHours(3), Policy);
                return c;
            case CaseState.Closed:
                c.Close(ClosureReason.NotApplicable, null, intervention.AddHours(3), Policy);
                return c;
        }

        c.RequestPatrol("worried", intervention.AddHours(3), Policy);
        if (state == CaseState.PatrolDispatched)
        {
            c.Dispatch("PS-1", intervention.AddHours(3.2), Policy);
        }

        return c;
    }

    protected static Features.Cases.CaseContext ContextFor(Case c, Actor actor, bool revealed = false) =>
        new(c, actor, WorkflowOptions, Now, _ => Task.CompletedTask) { IdentityRevealed = revealed };

    protected static Actor Officer => Actor.User("officer-1", 0, "62", Domain.Identity.Roles.Officer);

    protected static Actor Supervisor => Actor.User("supervisor-1", 0, "62", Domain.Identity.Roles.Supervisor);

    protected static Actor Dispatcher => Actor.User("dispatcher-1", 0, "62", Domain.Identity.Roles.Dispatcher);
}
