using Callback.Domain.Audit;
using Callback.Domain.Cases;
using Callback.Domain.Contact;
using Callback.Domain.Retention;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Callback.Domain.Tests.Retention;

public sealed class RetentionTests
{
    [Fact]
    public async Task ClosedCases_AreAnonymisedAfterTheRetentionPeriod_OpenOnesNever_AndTheAuditChainStillVerifies()
    {
        await using var h = await Harness.CreateAsync();
        var old = await ClosedCaseAsync(h, "62-2026-000101");
        var oldPhone = h.Facts("62-2026-000101").Victim.Phone!;
        h.Clock.Advance(TimeSpan.FromDays(2));
        var recent = await ClosedCaseAsync(h, "62-2026-000102");
        var open = await h.CaseAwaitingContactAsync("62-2026-000103");
        h.Clock.Advance(TimeSpan.FromDays(364));
        var retention = new RetentionService(h.Databases, h.Clock, Options.Create(new RetentionOptions { AnonymiseClosedAfter = TimeSpan.FromDays(365) }),
            Questionnaire.Default, NullLogger<RetentionService>.Instance);

        var anonymised = await retention.AnonymiseDueAsync(TestContext.Current.CancellationToken);
        var again = await retention.AnonymiseDueAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, anonymised);
        Assert.Equal(0, again);
        await using var db = await h.Databases.CreateDbContextAsync(TestContext.Current.CancellationToken);
        var cases = await db.Cases.AsNoTracking().Include(c => c.Attempts).Include(c => c.Notes).ToDictionaryAsync(c => c.Id, TestContext.Current.CancellationToken);
        var erased = cases[old];
        Assert.Equal(("", "", null, null, null), (erased.Victim.FirstName, erased.Victim.LastName, erased.Victim.Phone, erased.Victim.Address, erased.Perpetrator.Name));
        Assert.Null(erased.ClosureNote);
        Assert.All(erased.Attempts, a => Assert.Null(a.Note));
        Assert.All(erased.Notes, n => Assert.Equal("", n.Text));
        // What statistics need stays.
        Assert.Equal((CaseState.Closed, ClosureReason.VictimDeclinedFollowUp, 1), (erased.State, erased.ClosureReason!.Value, erased.Attempts.Count));
        Assert.NotNull(erased.AnonymisedAtUtc);
        Assert.Equal("Martin", cases[recent].Victim.LastName);
        Assert.Equal("Martin", cases[open].Victim.LastName);
        Assert.Equal("canary note 62-2026-000102", Assert.Single(cases[recent].Notes).Text);

        var audit = await db.AuditEntries.AsNoTracking().Where(e => e.Action == RetentionService.AuditAction).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(old, Assert.Single(audit).CaseId);
        Assert.True((await AuditWriter.VerifyAsync(db, TestContext.Current.CancellationToken)).IsIntact);
        Assert.Empty(await db.AuditEntries.AsNoTracking().Where(e => e.Reason != null && (e.Reason.Contains("Martin") || e.Reason.Contains(oldPhone)))
            .ToListAsync(TestContext.Current.CancellationToken));

        // What users typed into the audit (the closing note among them) goes with the case; the entries, and the
        // digests the chain covers, stay. A case still within its period keeps its reasons.
        var oldEntries = await db.AuditEntries.AsNoTracking().Where(e => e.CaseId == old && e.Action != RetentionService.AuditAction).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Contains(oldEntries, e => e.IsReasonErased && e.Action == "Close");
        Assert.All(oldEntries, e => Assert.Null(e.Reason));
        Assert.All(oldEntries, e => Assert.Null(e.ReasonSalt));
        Assert.Contains(await db.AuditEntries.AsNoTracking().Where(e => e.CaseId == recent && e.Action == "Close").Select(e => e.Reason).ToListAsync(TestContext.Current.CancellationToken),
            r => r != null && r.Contains("she moved away", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnAnonymisedCase_CannotBeReopened()
    {
        await using var h = await Harness.CreateAsync();
        var id = await ClosedCaseAsync(h, "62-2026-000201");
        h.Clock.Advance(TimeSpan.FromDays(400));
        var retention = new RetentionService(h.Databases, h.Clock, Options.Create(new RetentionOptions()), Questionnaire.Default, NullLogger<RetentionService>.Instance);
        await retention.AnonymiseDueAsync(TestContext.Current.CancellationToken);
        var version = await h.VersionAsync(id);

        await Assert.ThrowsAsync<CaseRuleException>(() => h.Workflow.ReopenAsync(id, version, "new facts", h.Supervisor));
    }

    private static async Task<Guid> ClosedCaseAsync(Harness h, string reference)
    {
        var id = await h.CaseAwaitingContactAsync(reference);
        await h.Workflow.RecordAttemptAsync(id, await h.VersionAsync(id), AttemptOutcome.NoAnswer, false, "canary attempt note", h.OfficerA);
        await h.Workflow.AddNoteAsync(id, await h.VersionAsync(id), $"canary note {reference}", h.OfficerA);
        await h.Workflow.CloseAsync(id, await h.VersionAsync(id), ClosureReason.VictimDeclinedFollowUp, "she moved away", h.OfficerA);
        return id;
    }
}
