using Callback.Domain.Cases;
using Callback.Domain.Intake;
using Microsoft.EntityFrameworkCore;

namespace Callback.Domain.Tests.Intake;

/// <summary>One case typed in or posted: the import's checks, the workflow's opening, idempotence on unit + reference.</summary>
public sealed class CaseIntakeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static CaseSubmission Submission(string reference, string? unit = null) => new()
    {
        Reference = reference,
        Unit = unit,
        InterventionAt = "01/03/2026 22:15",
        Offence = "violences_conjugales",
        VictimLastName = "Martin",
        VictimFirstName = "Camille",
        VictimPhone = "0692 12 34 56",
        Cohabitation = "non",
    };

    [Fact]
    public async Task Submit_OpensTheCaseInTheOfficersUnit_WithItsOpenAuditEntry_AndAgainReturnsItUntouched()
    {
        await using var h = await Harness.CreateAsync();
        var intake = new CaseIntake(h.Databases, h.Clock, h.Workflow);

        var created = await intake.SubmitAsync(Submission("62-M-1"), "CTC-62", h.OfficerA, Ct);
        var caseId = created.CaseId!.Value;
        await h.Workflow.ReviewAsync(caseId, 0, new ReviewFindings(TriState.No, false, false, false, false, TriState.No, ProtectionMeasures.None, DangerLevel.Moderate, false, null), h.OfficerA, Ct);
        var again = await intake.SubmitAsync(Submission("62-M-1"), "CTC-62", h.OfficerA, Ct);

        Assert.Equal(IntakeOutcome.Created, created.Outcome);
        Assert.Equal((IntakeOutcome.Existing, caseId), (again.Outcome, again.CaseId!.Value));
        await using var db = await h.Databases.CreateDbContextAsync(Ct);
        var stored = await db.Cases.SingleAsync(Ct);
        Assert.Equal((h.UnitA, "+262692123456", CaseState.AwaitingContact), (stored.UnitId, stored.Victim.Phone, stored.State));
        var open = await db.AuditEntries.SingleAsync(e => e.Action == "Open", Ct);
        Assert.Equal(("officer-a", caseId), (open.Actor, open.CaseId!.Value));
    }

    [Fact]
    public async Task Submit_ForAUnitOutsideTheOfficersScope_IsRejectedWithTheImportsMessage()
    {
        await using var h = await Harness.CreateAsync();
        var intake = new CaseIntake(h.Databases, h.Clock, h.Workflow);

        var result = await intake.SubmitAsync(Submission("59-M-1", unit: "CTC-59"), "CTC-62", h.OfficerA, Ct);

        Assert.Equal(IntakeOutcome.Rejected, result.Outcome);
        Assert.Equal(new ImportRejection(0, "unit", "unit \"CTC-59\" is outside your scope"), Assert.Single(result.Problems));
        await using var db = await h.Databases.CreateDbContextAsync(Ct);
        Assert.Equal(0, await db.Cases.CountAsync(Ct));
    }
}
