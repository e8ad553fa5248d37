using Callback.Domain.Cases;
using Callback.Domain.Identity;
using Callback.Domain.Notifications;
using Callback.Domain.Units;
using Callback.Jobs.Mail;
using Callback.Web.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Callback.Jobs.Tests.Mail;

/// <summary>Alert e-mails, from the alert's commit to what a real SMTP server received.</summary>
public class AlertMailTests
{
    private const string Cell62 = "cellule.62@example.fr";
    private const string Supervisor62 = "sup.62@example.fr";
    private const string OtherSupervisor62 = "sup.62bis@example.fr";
    private const string Supervisor59 = "sup.59@example.fr";
    private const string Disabled62 = "ancien.62@example.fr";
    private const string Officer62 = "officier.62@example.fr";

    /// <summary>What the harness's victim and perpetrator are called and where she lives: none of it may leave in an e-mail.</summary>
    private static readonly string[] PersonalData = ["Camille", "Martin", "0612345678", "06 12 34 56 78", "+33612345678", "rue des Lilas", "Lilas", "Marc Durand", "Durand"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task UnacknowledgedPatrol_SendsExactlyOneMail_ToTheUnitAndItsDepartementsSupervisors(DatabaseProvider provider)
    {
        await using var h = await Harness.CreateAsync(provider);
        await AddRecipientsAsync(h);
        await using var smtp = await TestSmtp.StartNewAsync();
        var sender = Sender(h, smtp.Port);
        var id = await h.Workflow.OpenAsync("CTC-62", h.Facts("62-2026-000777"), h.OfficerA);
        await h.Workflow.RequestPatrolAsync(id, await h.VersionAsync(id), "danger immédiat", h.OfficerA);
        var alarm = (await h.LoadAsync(id)).Alarm!;
        Assert.Equal(DeadlineKind.DispatchAcknowledgementOverdue, alarm.Kind);

        h.Clock.SetUtcNow(alarm.DueUtc.AddSeconds(1));
        await h.Sweeper.SweepOnceAsync(Ct);
        await h.Sweeper.SweepOnceAsync(Ct);
        Assert.Equal(1, await sender.SendDueAsync(Ct));
        Assert.Equal(0, await sender.SendDueAsync(Ct));
        h.Clock.Advance(TimeSpan.FromHours(1));
        await h.Sweeper.SweepOnceAsync(Ct);
        await sender.SendDueAsync(Ct);

        var mail = Assert.Single(smtp.Messages);
        Assert.Equal([Cell62, Supervisor62, OtherSupervisor62], mail.EnvelopeTo.Order(StringComparer.Ordinal));
        Assert.Contains("62-2026-000777", mail.Message.Subject, StringComparison.Ordinal);
        Assert.Contains("non prise en compte", mail.Message.Subject, StringComparison.Ordinal);
        Assert.Contains($"http://callback.test/cases/{id}", mail.Message.TextBody, StringComparison.Ordinal);
        Assert.Contains("CTC-62", mail.Message.TextBody, StringComparison.Ordinal);
        await using var db = await h.Databases.CreateDbContextAsync(Ct);
        var row = await db.OutboxMessages.SingleAsync(Ct);
        Assert.Equal(row.MessageId, mail.Message.MessageId);
        Assert.NotNull(row.SentUtc);
    }

    [Fact]
    public async Task AlertRolledBack_LeavesNoMessage()
    {
        await using var h = await Harness.CreateAsync();
        await AddRecipientsAsync(h);
        var id = await h.Workflow.OpenAsync("CTC-62", h.Facts("62-2026-000778"), h.OfficerA);
        await h.Workflow.RequestPatrolAsync(id, await h.VersionAsync(id), "danger immédiat", h.OfficerA);
        var alarm = (await h.LoadAsync(id)).Alarm!;
        // A dispatcher acknowledges before the deadline: the alarm is stale and no alert, so no message, is written.
        await h.Workflow.DispatchAsync(id, await h.VersionAsync(id), "BAC 12", h.Dispatcher);

        h.Clock.SetUtcNow(alarm.DueUtc.AddSeconds(1));
        await h.Workflow.FireDeadlineAsync(id, alarm.Version, alarm.Kind, Ct);

        await using var db = await h.Databases.CreateDbContextAsync(Ct);
        Assert.Equal(0, await db.OutboxMessages.CountAsync(Ct));
        Assert.DoesNotContain(await h.AuditAsync(id), e => e.Action.StartsWith("Alert.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HundredAlerts_DuringAnSmtpOutage_AreAllDeliveredOnceAfterIt()
    {
        await using var h = await Harness.CreateAsync(database: Harness.NoFsync);
        await AddRecipientsAsync(h);
        var smtp = TestSmtp.Stopped();
        await using var _ = smtp;
        var status = new OutboxStatus();
        var sender = Sender(h, smtp.Port, status);
        var ids = new List<Guid>();
        for (var i = 0; i < 100; i++)
        {
            var id = await h.Workflow.OpenAsync("CTC-62", h.Facts($"62-2026-{i:000000}"), h.OfficerA);
            await h.Workflow.RequestPatrolAsync(id, await h.VersionAsync(id), "danger immédiat", h.OfficerA);
            ids.Add(id);
        }

        h.Clock.Advance(h.Options.DispatchAcknowledgementDeadline + TimeSpan.FromSeconds(1));
        await h.Sweeper.SweepOnceAsync(Ct);
        // The outage: three rounds fail, the messages wait with a growing delay and the failure is reported.
        for (var round = 0; round < 3; round++)
        {
            await sender.SendDueAsync(Ct);
            h.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.NotNull(status.Snapshot().LastError);
        await using (var db = await h.Databases.CreateDbContextAsync(Ct))
        {
            var rows = await db.OutboxMessages.AsNoTracking().ToListAsync(Ct);
            Assert.Equal(100, rows.Count);
            Assert.All(rows, r => Assert.Null(r.SentUtc));
            Assert.All(rows, r => Assert.True(r.Attempts >= 1));
        }

        await smtp.StartAsync();
        for (var round = 0; round < 20; round++)
        {
            await sender.SendDueAsync(Ct);
            h.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        var received = smtp.Messages;
        Assert.Equal(100, received.Count);
        Assert.Equal(100, received.Select(m => m.Message.MessageId).Distinct().Count());
        Assert.Equal(ids.Order(), received.Select(m => CaseIdIn(m.Message.TextBody)).Order());
        await using (var db = await h.Databases.CreateDbContextAsync(Ct))
        {
            Assert.Equal(0, await db.OutboxMessages.CountAsync(m => m.SentUtc == null, Ct));
        }
    }

    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task MessageOfASenderThatCrashed_IsDeliveredOnceByTheNextSender(DatabaseProvider provider)
    {
        await using var h = await Harness.CreateAsync(provider);
        await AddRecipientsAsync(h);
        await using var smtp = await TestSmtp.StartNewAsync();
        var id = await h.Workflow.OpenAsync("CTC-62", h.Facts("62-2026-000779"), h.OfficerA);
        await h.Workflow.RequestPatrolAsync(id, await h.VersionAsync(id), "danger immédiat", h.OfficerA);
        h.Clock.Advance(h.Options.DispatchAcknowledgementDeadline + TimeSpan.FromSeconds(1));
        await h.Sweeper.SweepOnceAsync(Ct);

        // The dead sender took the row (its hold is committed) and died before sending: kill -9 between claim and SMTP.
        var settings = Settings(smtp.Port);
        await using (var db = await h.Databases.CreateDbContextAsync(Ct))
        {
            var row = await db.OutboxMessages.SingleAsync(Ct);
            row.Claim(h.Now, settings.ClaimFor);
            await db.SaveChangesAsync(Ct);
        }

        var next = Sender(h, smtp.Port);
        Assert.Equal(0, await next.SendDueAsync(Ct));
        Assert.Empty(smtp.Messages);

        h.Clock.Advance(settings.ClaimFor + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await next.SendDueAsync(Ct));
        Assert.Equal(0, await Sender(h, smtp.Port).SendDueAsync(Ct));
        Assert.Equal(id, CaseIdIn(Assert.Single(smtp.Messages).Message.TextBody));
    }

    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task TwoSenders_OnOneOutbox_SendEachMessageOnce(DatabaseProvider provider)
    {
        await using var h = await Harness.CreateAsync(provider);
        await AddRecipientsAsync(h);
        await using var smtp = await TestSmtp.StartNewAsync();
        for (var i = 0; i < 10; i++)
        {
            var id = await h.Workflow.OpenAsync("CTC-62", h.Facts($"62-2026-1{i:00000}"), h.OfficerA);
            await h.Workflow.RequestPatrolAsync(id, await h.VersionAsync(id), "danger immédiat", h.OfficerA);
        }

        h.Clock.Advance(h.Options.DispatchAcknowledgementDeadline + TimeSpan.FromSeconds(1));
        await h.Sweeper.SweepOnceAsync(Ct);
        var a = Sender(h, smtp.Port);
        var b = Sender(h, smtp.Port);
        await Task.WhenAll(a.SendDueAsync(Ct), b.SendDueAsync(Ct));
        await a.SendDueAsync(Ct);

        Assert.Equal(10, smtp.Messages.Count);
        Assert.Equal(10, smtp.Messages.Select(m => m.Message.MessageId).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Harness.Providers), MemberType = typeof(Harness))]
    public async Task JobStoreFailing_IsAuditedAndMailedOncePerHalfHour_ToEveryUnitAndSupervisor(DatabaseProvider provider)
    {
        await using var h = await Harness.CreateAsync(provider);
        await AddRecipientsAsync(h);
        await using var smtp = await TestSmtp.StartNewAsync();
        var status = new JobStoreStatus(h.Clock);
        var alert = new JobStoreDownAlert(h.Databases, status, h.Clock, NullLogger<JobStoreDownAlert>.Instance);
        h.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 2, 20, 1, 0, TimeSpan.Zero));

        Assert.True(await alert.RaiseAsync(Ct));
        h.Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.False(await alert.RaiseAsync(Ct));
        await Sender(h, smtp.Port).SendDueAsync(Ct);

        var mail = Assert.Single(smtp.Messages);
        Assert.Equal([Cell62, Supervisor59, Supervisor62, OtherSupervisor62], mail.EnvelopeTo.Order(StringComparer.Ordinal));
        Assert.Single(await h.AuditAsync(), e => e.Action == AlertOutbox.JobStoreDown);
    }

    /// <summary>The canary: every kind of message the app sends, and not one of them carries the victim's or perpetrator's details.</summary>
    [Fact]
    public async Task NoMessage_CarriesPersonalData()
    {
        await using var h = await Harness.CreateAsync();
        await AddRecipientsAsync(h);
        await using var smtp = await TestSmtp.StartNewAsync();
        var sender = Sender(h, smtp.Port);

        var unreviewed = await h.Workflow.OpenAsync("CTC-62", h.Facts("62-2026-000801"), h.OfficerA);
        var unacknowledged = await h.Workflow.OpenAsync("CTC-62", h.Facts("62-2026-000802"), h.OfficerA);
        await h.Workflow.RequestPatrolAsync(unacknowledged, await h.VersionAsync(unacknowledged), "danger immédiat", h.OfficerA);
        var unreported = await h.Workflow.OpenAsync("CTC-62", h.Facts("62-2026-000803"), h.OfficerA);
        await h.Workflow.RequestPatrolAsync(unreported, await h.VersionAsync(unreported), "danger immédiat", h.OfficerA);
        await h.Workflow.DispatchAsync(unreported, await h.VersionAsync(unreported), "BAC 12", h.Dispatcher);
        await h.CaseAwaitingContactAsync("62-2026-000804");
        h.Clock.Advance(TimeSpan.FromDays(3));
        await h.Sweeper.SweepOnceAsync(Ct);
        await h.Sweeper.SweepOnceAsync(Ct);
        await using (var db = await h.Databases.CreateDbContextAsync(Ct))
        {
            await AlertOutbox.QueueJobStoreDownAsync(db, h.Now, Ct);
            await db.SaveChangesAsync(Ct);
        }

        await new MorningDigest(h.Databases, Settings(smtp.Port), h.Clock).QueueDueAsync(Ct);
        await sender.SendDueAsync(Ct);

        var kinds = smtp.Messages.Select(m => m.Message.Subject ?? "").ToList();
        Assert.Contains(kinds, s => s.Contains("non examiné", StringComparison.Ordinal));
        Assert.Contains(kinds, s => s.Contains("non prise en compte", StringComparison.Ordinal));
        Assert.Contains(kinds, s => s.Contains("compte rendu de patrouille", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(kinds, s => s.Contains("magasin de tâches", StringComparison.Ordinal));
        Assert.Contains(kinds, s => s.Contains("Point du matin", StringComparison.Ordinal));
        foreach (var mail in smtp.Messages)
        {
            var text = mail.Raw + mail.Message.Subject + mail.Message.TextBody;
            foreach (var personal in PersonalData)
            {
                Assert.DoesNotContain(personal, text, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    [Fact]
    public async Task MorningDigest_IsQueuedOncePerUnit_At7InTheUnitsOwnTimeZone()
    {
        await using var h = await Harness.CreateAsync();
        await AddRecipientsAsync(h);
        await using (var db = await h.Databases.CreateDbContextAsync(Ct))
        {
            var reunion = new Unit("CTC-974", "Cellule 974", "974", "Indian/Reunion");
            reunion.Update(reunion.Details with { EscalationEmail = "cellule.974@example.fr" });
            db.Units.Add(reunion);
            await db.SaveChangesAsync(Ct);
        }

        var overdue = await h.CaseAwaitingContactAsync("62-2026-000901");
        var digest = new MorningDigest(h.Databases, Settings(1), h.Clock);
        // 02:59 UTC is 06:59 in La Réunion (UTC+4) and 03:59 in Paris: nothing yet.
        h.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 6, 2, 59, 0, TimeSpan.Zero));
        Assert.Equal(0, await digest.QueueDueAsync(Ct));
        h.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 6, 3, 0, 0, TimeSpan.Zero));
        Assert.Equal(1, await digest.QueueDueAsync(Ct));
        Assert.Equal(0, await digest.QueueDueAsync(Ct));
        // 06:00 UTC is 07:00 in Paris (UTC+1 in March): CTC-62's and CTC-59's (its supervisor's only: it has no address).
        h.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 6, 6, 0, 0, TimeSpan.Zero));
        Assert.Equal(2, await new MorningDigest(h.Databases, Settings(1), h.Clock).QueueDueAsync(Ct));
        Assert.Equal(0, await digest.QueueDueAsync(Ct));

        await using var check = await h.Databases.CreateDbContextAsync(Ct);
        var rows = await check.OutboxMessages.AsNoTracking().OrderBy(m => m.DedupKey).ToListAsync(Ct);
        Assert.Equal(["digest:CTC-59:2026-03-06", "digest:CTC-62:2026-03-06", "digest:CTC-974:2026-03-06"], rows.Select(r => r.DedupKey));
        Assert.Equal(Supervisor59, rows[0].Recipients);
        Assert.Equal("cellule.974@example.fr", rows[2].Recipients);
        var lines = DigestLine.Parse(rows[1].Details!);
        Assert.Contains(lines, l => l.CaseId == overdue && l.Kind == DigestLine.Overdue && l.Reference == "62-2026-000901");
    }

    private static Guid CaseIdIn(string? body)
    {
        Assert.NotNull(body);
        var at = body.IndexOf("/cases/", StringComparison.Ordinal) + "/cases/".Length;
        return Guid.Parse(body.AsSpan(at, 36));
    }

    internal static SmtpSettings Settings(int port) => new()
    {
        Host = "127.0.0.1",
        Port = port,
        Security = "None",
        From = "Callback <alertes@callback.test>",
        LinkBaseUrl = "http://callback.test/",
        Timeout = TimeSpan.FromSeconds(5),
    };

    private static OutboxSender Sender(Harness h, int port, OutboxStatus? status = null)
    {
        var settings = Settings(port);
        return new OutboxSender(h.Databases, settings, status ?? new OutboxStatus(), new MorningDigest(h.Databases, settings, h.Clock), h.Clock, NullLogger<OutboxSender>.Instance);
    }

    /// <summary>
    /// Unit A (62) gets an escalation address; two supervisors in 62 should hear of its alerts; a supervisor of 59, a
    /// disabled supervisor of 62 and an officer of 62 should not.
    /// </summary>
    internal static async Task AddRecipientsAsync(Harness h)
    {
        await using var db = await h.Databases.CreateDbContextAsync(Ct);
        var unit = await db.Units.SingleAsync(u => u.Id == h.UnitA, Ct);
        unit.Update(unit.Details with { EscalationEmail = Cell62 });
        var supervisor = new IdentityRole(Roles.Supervisor) { NormalizedName = Roles.Supervisor.ToUpperInvariant() };
        var officer = new IdentityRole(Roles.Officer) { NormalizedName = Roles.Officer.ToUpperInvariant() };
        db.Roles.AddRange(supervisor, officer);
        void Add(string email, int unitId, IdentityRole role, bool disabled = false)
        {
            var user = new ApplicationUser { UserName = email, Email = email, UnitId = unitId, Disabled = disabled };
            db.Users.Add(user);
            db.UserRoles.Add(new IdentityUserRole<string> { UserId = user.Id, RoleId = role.Id });
        }

        Add(Supervisor62, h.UnitA, supervisor);
        Add(OtherSupervisor62, h.UnitA, supervisor);
        Add(Supervisor59, h.UnitB, supervisor);
        Add(Disabled62, h.UnitA, supervisor, disabled: true);
        Add(Officer62, h.UnitA, officer);
        await db.SaveChangesAsync(Ct);
    }
}
