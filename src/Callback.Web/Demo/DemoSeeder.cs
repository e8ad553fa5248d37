using System.Globalization;
using System.Text;
using Callback.Domain.Cases;
using Callback.Domain.Contact;
using Callback.Domain.Identity;
using Callback.Domain.Intake;
using Callback.Domain.Persistence;
using Callback.Domain.Units;
using Callback.Domain.Workflow;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Callback.Web.Demo;

/// <summary>
/// Demo data for Development and drills: units in several départements (one overseas), 240 cases spread over every
/// state, and a small re-examination campaign in CTC-62 whose unreached files hit the patrol governor (issue 18). Cases
/// go through the real workflow (and the campaign through the real import) on a replayed clock, so their audit trail,
/// deadlines and attempts are what the application itself would have written.
/// </summary>
public sealed class DemoSeeder(
    IDbContextFactory<CallbackDbContext> databases,
    TimeProvider clock,
    IOptions<WorkflowOptions> options,
    IOptions<PatrolGovernorOptions> governor,
    IOptions<ImportOptions> importOptions,
    IServiceScopeFactory scopes,
    Features.Partners.PartnerDirectory partners,
    ILoggerFactory loggers)
{
    /// <summary>The demo accounts, one per role (and an officer per unit); README.md lists them with their password.</summary>
    public const string DemoPassword = "callback-demo-2026";

    /// <summary>
    /// The authenticator key of the demo Supervisor and Admin, who must use two-factor: published in README.md so that a
    /// newcomer can add it to an app, and used by the browser tests to compute codes. Demo data only, never Production.
    /// </summary>
    public const string DemoAuthenticatorKey = "CALLBACKDEMOTOTPKEYTRAININGONLYX";

    public static IReadOnlyList<(string Email, string Name, string Role, string? Unit)> DemoUsers { get; } =
    [
        ("officier.62@demo.callback", "Julie Lefèvre", Roles.Officer, "CTC-62"),
        ("officier.72@demo.callback", "Karim Haddad", Roles.Officer, "BR-LEMANS"),
        ("officier.31@demo.callback", "Sophie Garcia", Roles.Officer, "CTC-31"),
        ("officier.974@demo.callback", "Thierry Payet", Roles.Officer, "BR-STDENIS"),
        ("superviseur.62@demo.callback", "Marc Dubois", Roles.Supervisor, "CTC-62"),
        ("dispatch.62@demo.callback", "Nadia Benali", Roles.Dispatcher, "CTC-62"),
        ("admin@demo.callback", "Administrateur Callback", Roles.Admin, null),
    ];

    public static IReadOnlyList<Unit> DemoUnits { get; } =
    [
        new("CTC-62", "Cellule télé-contact du Pas-de-Calais", "62", "Europe/Paris", "https://www.arretonslesviolences.gouv.fr/"),
        new("BR-LEMANS", "Commissariat du Mans", "72", "Europe/Paris", "https://www.arretonslesviolences.gouv.fr/"),
        new("CTC-31", "Télé-contact VIF Occitanie", "31", "Europe/Paris", "https://www.arretonslesviolences.gouv.fr/"),
        new("BR-STDENIS", "Brigade de Saint-Denis", "974", "Indian/Reunion", "https://www.arretonslesviolences.gouv.fr/"),
    ];

    public const int CasesPerUnit = 60;

    /// <summary>The campaign's unreached files the governor holds back for the supervisor of CTC-62 to decide on.</summary>
    public const int ProposedPatrols = 4;

    public const string CampaignName = "Réexamen VIF 2020";

    private const string CampaignUnit = "CTC-62";

    public async Task<SeedResult> SeedAsync(CancellationToken cancellationToken)
    {
        await using (var db = await databases.CreateDbContextAsync(cancellationToken))
        {
            if (await db.Cases.AnyAsync(cancellationToken))
            {
                return new SeedResult(0, "demo data already present: nothing done");
            }

            foreach (var unit in DemoUnits)
            {
                if (!await db.Units.AnyAsync(u => u.Code == unit.Code, cancellationToken))
                {
                    db.Units.Add(new Unit(unit.Code, unit.Name, unit.Departement, unit.TimeZoneId, unit.HelpPageUrl));
                }
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        await partners.SeedIfEmptyAsync(cancellationToken);
        var (officers, supervisor) = await CreateUsersAsync();
        var now = clock.GetUtcNow();
        var replay = new ReplayClock(now - TimeSpan.FromDays(4));
        // The configured governor, so the campaign's last calls meet the very limit the running app applies.
        var workflow = new CaseWorkflowService(databases, replay, options, new NoAlarms(), new NoNotifications(), loggers.CreateLogger<CaseWorkflowService>(), governor);
        var plan = Plan(now.UtcDateTime, options.Value);
        plan.AddRange(CampaignPlan(now.UtcDateTime, options.Value, governor.Value.MaxAutomaticPerUnitPerHour, plan.Count));
        var steps = plan.SelectMany(p => p.Steps.Select(s => (Case: p, Step: s))).OrderBy(x => x.Step.AtUtc).ToList();
        var ids = new Dictionary<PlannedCase, Guid>();
        foreach (var (planned, step) in steps)
        {
            replay.Set(step.AtUtc);
            var actor = officers[planned.UnitCode];
            if (step.Action == Step.Open)
            {
                ids[planned] = await workflow.OpenAsync(planned.UnitCode, planned.Facts, actor, cancellationToken);
                continue;
            }

            if (step.Action == Step.Import)
            {
                // One import opens the whole campaign: the first of its cases' import steps runs it, the others find their id.
                if (!ids.ContainsKey(planned))
                {
                    await ImportCampaignAsync(plan.Where(p => p.InCampaign).ToList(), replay, supervisor, ids, cancellationToken);
                }

                continue;
            }

            var id = ids[planned];
            var version = (await workflow.GetAsync(id, actor, cancellationToken)).Version;
            switch (step.Action)
            {
                case Step.Review:
                    await workflow.ReviewAsync(id, version, planned.Findings, actor, cancellationToken);
                    break;
                case Step.NoAnswer:
                    await workflow.RecordAttemptAsync(id, version, AttemptOutcome.NoAnswer, toSafeNumber: true, null, actor, cancellationToken);
                    break;
                case Step.Contact:
                    await workflow.RecordContactAsync(id, version, new ContactReport(true, planned.Findings.Danger, false, null, "Victime jointe, en sécurité."), actor, cancellationToken);
                    break;
                case Step.ContactFollowUp:
                    await workflow.RecordContactAsync(id, version, new ContactReport(true, planned.Findings.Danger, false, null, "Victime jointe, mise sous suivi.")
                    {
                        Then = AfterContact.FollowUp,
                    }, actor, cancellationToken);
                    break;
                case Step.RequestPatrol:
                    await workflow.RequestPatrolAsync(id, version, "Victime injoignable, inquiétude du voisinage", actor, cancellationToken);
                    break;
                case Step.Dispatch:
                    await workflow.DispatchAsync(id, version, "PS-" + (planned.Index % 9 + 1), Dispatcher, cancellationToken);
                    break;
                case Step.PatrolSafe:
                    await workflow.ReportPatrolOutcomeAsync(id, version, PatrolOutcome.VictimSafeAndSeen, "Victime vue, en sécurité.", Dispatcher, cancellationToken);
                    break;
            }
        }

        var proposed = await CountProposedAsync(ids.Where(x => x.Key.InCampaign).Select(x => x.Value).ToList(), cancellationToken);
        return new SeedResult(plan.Count, $"seeded {DemoUnits.Count} units, {DemoUsers.Count} demo users and {plan.Count} cases, {proposed} patrol(s) proposed to the supervisor of {CampaignUnit}");
    }

    /// <summary>
    /// Imports the campaign's files as a supervisor would, through the real importer (a CSV written here), so the cases
    /// carry their campaign, its paced deadlines and the import's audit entries.
    /// </summary>
    private async Task ImportCampaignAsync(List<PlannedCase> campaign, TimeProvider replay, Actor supervisor, Dictionary<PlannedCase, Guid> ids, CancellationToken cancellationToken)
    {
        var csv = new StringBuilder("reference;unite;date_intervention;infraction;victime_nom;victime_prenom;victime_telephone;victime_adresse;auteur_nom;cohabitation;reponse_penale;enfants;notes\n");
        var zone = TimeZoneInfo.FindSystemTimeZoneById(DemoUnits.Single(u => u.Code == CampaignUnit).TimeZoneId);
        foreach (var c in campaign)
        {
            var f = c.Facts;
            var local = TimeZoneInfo.ConvertTimeFromUtc(f.InterventionAtUtc, zone);
            csv.Append(CultureInfo.InvariantCulture, $"{f.FileReference};{c.UnitCode};{local:dd/MM/yyyy HH:mm};VIOLENCES_CONJUGALES;{f.Victim.LastName};{f.Victim.FirstName};")
                .Append(CultureInfo.InvariantCulture, $"{f.Victim.Phone};{f.Victim.Address};{f.Perpetrator.Name};non;non;inconnu;\n");
        }

        using var importer = new CaseImporter(databases, replay, options, importOptions, new NoAlarms(), new NoNotifications(), loggers.CreateLogger<CaseImporter>());
        await using var file = new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString()));
        var report = await importer.ImportAsync(file, new ImportRequest(CampaignName, supervisor), null, cancellationToken);
        var created = report.Created.Where(r => r.CaseId is not null).ToDictionary(r => r.Reference, r => r.CaseId!.Value, StringComparer.Ordinal);
        if (created.Count != campaign.Count)
        {
            var why = report.Refusal ?? string.Join("; ", report.Rejections.Take(3).Select(r => $"line {r.Line} {r.Field}: {r.Reason}"));
            throw new InvalidOperationException($"The demo campaign imported {created.Count} of its {campaign.Count} files: {why}");
        }

        foreach (var c in campaign)
        {
            ids[c] = created[c.Facts.FileReference];
        }
    }

    private async Task<int> CountProposedAsync(List<Guid> campaign, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await db.Cases.CountAsync(c => campaign.Contains(c.Id) && c.State == CaseState.PatrolProposed, cancellationToken);
    }

    /// <summary>Dispatch steps of the demo run as the system administrator's seeding, across départements.</summary>
    private static Actor Dispatcher { get; } = Actor.User("demo-dispatch", null, null, Roles.Admin);

    /// <summary>Creates the demo accounts and returns, per unit code, its officer as an actor, and the supervisor of CTC-62.</summary>
    private async Task<(Dictionary<string, Actor> Officers, Actor Supervisor)> CreateUsersAsync()
    {
        await using var scope = scopes.CreateAsyncScope();
        var admin = scope.ServiceProvider.GetRequiredService<Features.Account.UserAdministration>();
        var officers = new Dictionary<string, Actor>();
        Actor? supervisor = null;
        foreach (var (email, name, role, unitCode) in DemoUsers)
        {
            var user = await admin.CreateAsync(email, name, DemoPassword, role, unitCode);
            if (role is Roles.Supervisor or Roles.Admin)
            {
                await scope.ServiceProvider.GetRequiredService<Security.TwoFactorEnrolment>().EnrolAsync(user, DemoAuthenticatorKey);
            }
            if (role == Roles.Officer && unitCode is not null)
            {
                var unit = DemoUnits.Single(u => u.Code == unitCode);
                officers[unitCode] = Actor.User(user.Id, user.UnitId, unit.Departement, Roles.Officer);
            }

            if (role == Roles.Supervisor && unitCode == CampaignUnit)
            {
                supervisor = Actor.User(user.Id, user.UnitId, DemoUnits.Single(u => u.Code == unitCode).Departement, Roles.Supervisor);
            }
        }

        return (officers, supervisor ?? throw new InvalidOperationException($"The demo users hold no supervisor of {CampaignUnit}."));
    }

    /// <summary>The cases and their histories. Deterministic: the same seed gives the same demo.</summary>
    private static List<PlannedCase> Plan(DateTime nowUtc, WorkflowOptions workflow)
    {
        // A local generator, not a shared one: the same seed gives the same demo whatever else ran in the process.
        var random = new Random(20201125);
        var scale = TimeScale(workflow);
        TimeSpan Scaled(TimeSpan span) => span * scale;
        // A drill (deadlines shorter than Production's) starts with the running deadlines ahead, falling due within minutes:
        // the step that set a case's current deadline is moved to half that deadline before now. Development keeps its
        // histories as they were, with one open contact in ten overdue at start-up.
        var drill = scale < 1;
        DateTime Fresh(DateTime atUtc, TimeSpan deadline) => drill && atUtc < nowUtc - (deadline / 2) ? nowUtc - (deadline / 2) : atUtc;
        var plan = new List<PlannedCase>();
        var offences = Enum.GetValues<OffenceCategory>();
        var index = 0;
        foreach (var unit in DemoUnits)
        {
            for (var i = 0; i < CasesPerUnit; i++, index++)
            {
                var target = (i % 10) switch
                {
                    0 or 1 => CaseState.AwaitingReview,
                    2 or 3 or 4 => CaseState.AwaitingContact,
                    5 => CaseState.PatrolRequested,
                    6 => CaseState.PatrolDispatched,
                    9 => CaseState.FollowUp,
                    _ => CaseState.Closed,
                };
                // Recent enough that most open contacts are not yet overdue; one in ten is, and the sweep escalates it at start-up.
                var hoursAgo = target == CaseState.AwaitingContact && i % 10 == 4 ? Between(random, drill ? 44 : 50, drill ? 47.5 : 60)
                    : target == CaseState.AwaitingReview ? Between(random, 0.5, 10) : Between(random, 6, 40);
                var intervention = nowUtc - Scaled(TimeSpan.FromHours(hoursAgo));
                var offence = i % 3 == 0 ? offences[random.Next(offences.Length)] : OffenceCategory.ConjugalViolence;
                var victim = new Victim(Pick(random, DemoPeople.WomenFirstNames), Pick(random, DemoPeople.LastNames), DemoPeople.MobileNumber(random), DemoPeople.Address(random, unit.Departement));
                var facts = new NewCase($"{unit.Departement}-{2026}-{100000 + index}", intervention, offence, victim,
                    new Perpetrator($"{Pick(random, DemoPeople.MenFirstNames)} {Pick(random, DemoPeople.LastNames)}", Pick(random, TriStates)),
                    Pick(random, TriStates), Chance(random, 0.3) ? true : null);
                var danger = Pick(random, [DangerLevel.Low, DangerLevel.Moderate, DangerLevel.Moderate, DangerLevel.High]);
                if (target == CaseState.FollowUp && danger < DangerLevel.Moderate)
                {
                    // Low danger has no plan of its own (and no measure here): reached, the file closes.
                    target = CaseState.Closed;
                }

                var findings = new ReviewFindings(facts.Perpetrator.Cohabiting, false, false, Chance(random, 0.2), Chance(random, 0.1),
                    facts.ChildrenPresent, ProtectionMeasures.None, danger, ImmediateDanger: false,
                    DemoSafeContact(index, victim.Phone, Chance(random, 0.3)));
                var planned = new PlannedCase(index, unit.Code, facts, findings, []);
                var t = intervention + Scaled(TimeSpan.FromMinutes(random.Next(20, 91)));
                planned.Steps.Add(new PlannedStep(Step.Open, t));
                if (target != CaseState.AwaitingReview)
                {
                    t += Scaled(TimeSpan.FromMinutes(random.Next(30, 121)));
                    // High danger and a perpetrator living with her are due at once, with the short deadline.
                    var urgent = danger >= DangerLevel.High || facts.Perpetrator.Cohabiting == TriState.Yes;
                    if (target == CaseState.AwaitingContact && urgent)
                    {
                        t = Fresh(t, workflow.HighDangerContactDeadline);
                    }

                    planned.Steps.Add(new PlannedStep(Step.Review, t));
                    var contactFrom = urgent ? t : intervention + workflow.ContactWindowOpensAfter;
                    var attempts = target switch
                    {
                        CaseState.AwaitingContact => random.Next(0, workflow.MaxAttempts),
                        CaseState.Closed or CaseState.FollowUp => random.Next(0, 2),
                        _ => 1,
                    };
                    var callAt = contactFrom > t ? contactFrom : t + Scaled(TimeSpan.FromMinutes(10));
                    for (var a = 0; a < attempts && callAt < nowUtc; a++, callAt += Scaled(TimeSpan.FromMinutes(random.Next(30, 91))))
                    {
                        planned.Steps.Add(new PlannedStep(Step.NoAnswer, callAt));
                    }

                    var last = callAt < nowUtc ? callAt : nowUtc - Scaled(TimeSpan.FromMinutes(1));
                    switch (target)
                    {
                        case CaseState.Closed:
                            planned.Steps.Add(new PlannedStep(Step.Contact, Later(last, nowUtc, scale)));
                            break;
                        case CaseState.FollowUp:
                            // Reached a day or two ago and followed: her first check-in falls in the days (Training: minutes) to come.
                            var firstCheckInDue = workflow.CheckInsFor(danger)[0] + (danger >= DangerLevel.High ? workflow.HighDangerCheckInDeadline : workflow.CheckInDeadline);
                            planned.Steps.Add(new PlannedStep(Step.ContactFollowUp, Fresh(Later(last, nowUtc, scale), firstCheckInDue)));
                            break;
                        case CaseState.PatrolRequested:
                            planned.Steps.Add(new PlannedStep(Step.RequestPatrol, Fresh(Later(last, nowUtc, scale), workflow.DispatchAcknowledgementDeadline)));
                            break;
                        case CaseState.PatrolDispatched:
                            var requested = Fresh(Later(last, nowUtc, scale), workflow.PatrolReportDeadline);
                            planned.Steps.Add(new PlannedStep(Step.RequestPatrol, requested));
                            planned.Steps.Add(new PlannedStep(Step.Dispatch, requested + Scaled(TimeSpan.FromSeconds(30))));
                            break;
                    }
                }

                for (var s = 1; s < planned.Steps.Count; s++)
                {
                    if (planned.Steps[s].AtUtc <= planned.Steps[s - 1].AtUtc)
                    {
                        planned.Steps[s] = planned.Steps[s] with { AtUtc = planned.Steps[s - 1].AtUtc + Scaled(TimeSpan.FromSeconds(30)) };
                    }
                }

                plan.Add(planned);
            }
        }

        return plan;
    }

    /// <summary>
    /// The re-examination campaign of CTC-62 (issue 18): old files imported a while ago, reviewed, and called as often as
    /// the workflow allows, never reached. Their last calls fall in one clock hour: the first <paramref name="limit"/> raise their
    /// patrols (sent, and back with the victim seen safe), the next <see cref="ProposedPatrols"/> meet the patrol governor
    /// and wait, proposed, for the supervisor. The proposals are made within the hour before now, so none is overdue at
    /// start-up. Deterministic, with its own generator: the rest of the demo is as it was.
    /// </summary>
    private static List<PlannedCase> CampaignPlan(DateTime nowUtc, WorkflowOptions workflow, int limit, int firstIndex)
    {
        var random = new Random(20200317);
        var scale = TimeScale(workflow);
        var count = limit + ProposedPatrols;
        // One minute between two last calls (Training: a second), closer when a large limit would not fit in the hour.
        var gap = TimeSpan.FromTicks(Math.Min((TimeSpan.FromMinutes(1) * scale).Ticks, TimeSpan.FromMinutes(20).Ticks / count));
        var patrol = TimeSpan.FromMinutes(30) * scale;
        var end = nowUtc - (TimeSpan.FromMinutes(2) * scale);
        DateTime Sent(DateTime last, int k) => last - patrol - (TimeSpan.FromMinutes(5) * scale) - ((limit - 1 - k) * gap);
        if (limit > 0 && PatrolGovernor.HourOf(Sent(end, 0)) != PatrolGovernor.HourOf(end))
        {
            // The governor counts by clock hour: all last calls go in the hour before this one.
            end = new DateTime(end.Ticks - (end.Ticks % TimeSpan.TicksPerHour), DateTimeKind.Utc) - gap;
        }

        var span = workflow.CampaignContactPeriod / 2;
        var lastCalls = Enumerable.Range(0, count).Select(k => k < limit ? Sent(end, k) : end - ((count - 1 - k) * gap)).ToList();
        var imported = lastCalls[0] - span;
        var departement = DemoUnits.Single(u => u.Code == CampaignUnit).Departement;
        var plan = new List<PlannedCase>();
        for (var k = 0; k < count; k++)
        {
            var intervention = new DateTime(2020, 1 + (k % 12), 1 + (k * 3 % 28), 20 + (k % 4), 5 * k % 60, 0, DateTimeKind.Utc);
            // Her own number and street, so the import links her to no other demo file (a link would raise her danger). The
            // import reads 06 39 98 (fiction, but dialled as Mayotte) as no valid number: 03 53 01 is ARCEP's fiction block of the north.
            var victim = new Victim(Pick(random, DemoPeople.WomenFirstNames), Pick(random, DemoPeople.LastNames),
                string.Create(CultureInfo.InvariantCulture, $"03 53 01 {k / 100 % 100:D2} {k % 100:D2}"),
                string.Create(CultureInfo.InvariantCulture, $"{k + 1} rue des Glycines, 62300 Lens"));
            var facts = new NewCase($"{departement}-2020-{200100 + k}", intervention, OffenceCategory.ConjugalViolence, victim,
                new Perpetrator($"{Pick(random, DemoPeople.MenFirstNames)} {Pick(random, DemoPeople.LastNames)}", TriState.No), TriState.Unknown, null);
            var findings = new ReviewFindings(TriState.No, false, false, false, false, TriState.Unknown, ProtectionMeasures.None, DangerLevel.Moderate,
                ImmediateDanger: false, DemoSafeContact(firstIndex + k, victim.Phone, noVoicemail: false));
            var planned = new PlannedCase(firstIndex + k, CampaignUnit, facts, findings, [], InCampaign: true);
            planned.Steps.Add(new PlannedStep(Step.Import, imported));
            planned.Steps.Add(new PlannedStep(Step.Review, imported + (span * 0.1) + (k * gap)));
            for (var a = 1; a < workflow.MaxAttempts; a++)
            {
                planned.Steps.Add(new PlannedStep(Step.NoAnswer, imported + (span * (0.2 + (0.7 * a / workflow.MaxAttempts))) + (k * gap)));
            }

            planned.Steps.Add(new PlannedStep(Step.NoAnswer, lastCalls[k]));
            if (k < limit)
            {
                planned.Steps.Add(new PlannedStep(Step.Dispatch, lastCalls[k] + (gap / 2)));
                planned.Steps.Add(new PlannedStep(Step.PatrolSafe, lastCalls[k] + patrol));
            }

            plan.Add(planned);
        }

        return plan;
    }

    private static readonly TriState[] TriStates = [TriState.Unknown, TriState.Yes, TriState.No];

    private static T Pick<T>(Random random, IReadOnlyList<T> values) => values[random.Next(values.Count)];

    private static bool Chance(Random random, double probability) => random.NextDouble() < probability;

    private static double Between(Random random, double min, double max) => min + (random.NextDouble() * (max - min));

    private static DateTime Later(DateTime candidate, DateTime nowUtc, double scale) =>
        candidate < nowUtc - (TimeSpan.FromMinutes(2) * scale) ? candidate : nowUtc - (TimeSpan.FromMinutes(2) * scale);

    /// <summary>
    /// The histories are written for Production's deadlines (contact within 48 hours). A profile with shorter deadlines
    /// (Training: 48 minutes) gets the same histories shrunk by the same ratio, so a drill starts as a working day does,
    /// with cases falling due in the next minutes, and not with every deadline long past and fired at start-up.
    /// </summary>
    internal static double TimeScale(WorkflowOptions workflow) =>
        Math.Min(1.0, workflow.ContactDeadlineAfter / TimeSpan.FromDays(2));

    private enum Step
    {
        Open,
        Import,
        Review,
        NoAnswer,
        Contact,
        ContactFollowUp,
        RequestPatrol,
        Dispatch,
        PatrolSafe,
    }

    private sealed record PlannedStep(Step Action, DateTime AtUtc);

    private sealed record PlannedCase(int Index, string UnitCode, NewCase Facts, ReviewFindings Findings, List<PlannedStep> Steps, bool InCampaign = false);

    /// <summary>A clock the seeder moves forward by hand, so histories are written at the instants they happened.</summary>
    private sealed class ReplayClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public void Set(DateTime utc) => _now = new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc));

        public override DateTimeOffset GetUtcNow() => _now;
    }

    /// <summary>
    /// What a victim answers to "which number is safe?": most name another phone (a sister's, a work line), some say her
    /// own is safe, some name none. Drawn from the case's own index so that the rest of the demo stays as it was.
    /// </summary>
    private static SafeContact DemoSafeContact(int index, string? usualPhone, bool noVoicemail)
    {
        var draw = new Random(index);
        var hours = (new TimeOnly(9, 0), new TimeOnly(19, 0));
        return (index % 10) switch
        {
            < 5 => new SafeContact(DemoPeople.MobileNumber(draw), hours.Item1, hours.Item2, null, ContactChannel.Phone, noVoicemail, null),
            < 8 => new SafeContact(usualPhone, hours.Item1, hours.Item2, null, ContactChannel.Phone, noVoicemail, null),
            _ => new SafeContact(null, hours.Item1, hours.Item2, null, ContactChannel.Phone, noVoicemail, null) { NoSafeNumberGiven = true },
        };
    }
}

public sealed record SeedResult(int Cases, string Message);
