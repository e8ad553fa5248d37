using Callback.Domain.Access;
using Callback.Domain.Audit;
using Callback.Domain.Persistence;
using Callback.Domain.Workflow;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Callback.Domain.Units;

/// <summary>
/// Creates and changes units, from the command line or <c>/admin/units</c>: an Admin's, each change audited in its
/// transaction with the fields it touched (never their values: an escalation address may name a person).
/// </summary>
public sealed class UnitService(IDbContextFactory<CallbackDbContext> databases, TimeProvider clock, ILogger<UnitService> logger)
{
    private readonly UnitOfWork _unitOfWork = new(databases, logger);

    public async Task<IReadOnlyList<Unit>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await db.Units.AsNoTracking().OrderBy(u => u.Code).ToListAsync(cancellationToken);
    }

    public async Task<Unit> CreateAsync(string code, UnitDetails details, Actor actor, CancellationToken cancellationToken = default)
    {
        RequireAdmin(actor);
        var unit = Unit.Create(code, details);
        return await _unitOfWork.RunAsync(async (write, ct) =>
        {
            if (await write.Db.Units.AnyAsync(u => u.Code == unit.Code, ct))
            {
                throw new InvalidUnitException([new(UnitField.Code, "UnitCodeTaken", $"A unit \"{unit.Code}\" already exists.")]);
            }

            var created = Unit.Create(unit.Code, details);
            write.Db.Units.Add(created);
            write.Audit(new AuditRecord(clock.GetUtcNow().UtcDateTime, actor.Id, null, AuditActions.UnitCreated, null, null,
                $"unit {created.Code} (département {created.Departement}, {created.TimeZoneId})"));
            return created;
        }, StaleReads.Surface, cancellationToken);
    }

    /// <summary>
    /// Replaces the details of unit <paramref name="code"/>. With <paramref name="expectedVersion"/> (a form), a unit
    /// changed since the form was loaded is refused with <see cref="UnitConflictException"/>; the command line passes none.
    /// </summary>
    public async Task<IReadOnlyList<UnitField>> UpdateAsync(
        string code, UnitDetails details, int? expectedVersion, Actor actor, CancellationToken cancellationToken = default)
    {
        RequireAdmin(actor);
        try
        {
            return await _unitOfWork.RunAsync(async (write, ct) =>
            {
                var unit = await write.Db.Units.SingleOrDefaultAsync(u => u.Code == code, ct)
                    ?? throw new InvalidUnitException([new(UnitField.Code, "UnitUnknown", $"No unit \"{code}\".")]);
                if (expectedVersion is { } version && unit.Version != version)
                {
                    throw new UnitConflictException(unit.Code);
                }

                var changed = unit.Update(details);
                if (changed.Count > 0)
                {
                    write.Audit(new AuditRecord(clock.GetUtcNow().UtcDateTime, actor.Id, null, AuditActions.UnitUpdated, null, null,
                        $"unit {unit.Code}: {string.Join(", ", changed)}"));
                }

                return changed;
            }, StaleReads.Surface, cancellationToken);
        }
        catch (DbUpdateConcurrencyException ex)
        {
            throw new UnitConflictException(code, ex);
        }
    }

    private static void RequireAdmin(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.May(Feature.Units))
        {
            throw new ActionForbiddenException("Only an Admin may create or change units.");
        }
    }
}

/// <summary>The unit was changed by someone else since the form was loaded.</summary>
public sealed class UnitConflictException : Exception
{
    public UnitConflictException()
    {
        Code = "";
    }

    public UnitConflictException(string code)
        : this(code, null)
    {
    }

    public UnitConflictException(string code, Exception? innerException)
        : base($"Unit {code} was changed by someone else in the meantime. Reload it and try again.", innerException)
    {
        Code = code;
    }

    public string Code { get; }
}
