using Callback.Domain.Intake;
using Callback.Domain.Persistence;
using Callback.Domain.Units;
using Callback.Domain.Workflow;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Callback.Web.Features.Intake;

/// <summary>
/// What the import page and the manual entry form ask of the domain: the units the user may file for, the importer, and
/// the one-case intake. An interface so that the components render in bUnit without a database.
/// </summary>
public interface IIntakeDesk
{
    /// <summary>A larger upload is refused before it is read (Import:MaxFileBytes).</summary>
    long MaxFileBytes { get; }

    /// <summary>The units within <paramref name="actor"/>'s scope, by code.</summary>
    Task<IReadOnlyList<Unit>> UnitsAsync(Actor actor, CancellationToken cancellationToken = default);

    Task<ImportReport> DryRunAsync(Stream file, ImportRequest request, CancellationToken cancellationToken = default);

    Task<ImportReport> ImportAsync(Stream file, ImportRequest request, IProgress<ImportProgress> progress, CancellationToken cancellationToken = default);

    Task<IntakeResult> SubmitAsync(CaseSubmission submission, Actor actor, CancellationToken cancellationToken = default);
}

public sealed class IntakeDesk(IDbContextFactory<CallbackDbContext> databases, CaseImporter importer, CaseIntake intake, IOptions<ImportOptions> options) : IIntakeDesk
{
    public long MaxFileBytes => options.Value.MaxFileBytes;

    public async Task<IReadOnlyList<Unit>> UnitsAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var units = await db.Units.AsNoTracking().OrderBy(u => u.Code).ToListAsync(cancellationToken);
        return units.Where(actor.CanSee).ToList();
    }

    public Task<ImportReport> DryRunAsync(Stream file, ImportRequest request, CancellationToken cancellationToken = default) =>
        importer.DryRunAsync(file, request, null, cancellationToken);

    public Task<ImportReport> ImportAsync(Stream file, ImportRequest request, IProgress<ImportProgress> progress, CancellationToken cancellationToken = default) =>
        importer.ImportAsync(file, request, progress, cancellationToken);

    public Task<IntakeResult> SubmitAsync(CaseSubmission submission, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return intake.SubmitAsync(submission, null, actor, cancellationToken);
    }
}
