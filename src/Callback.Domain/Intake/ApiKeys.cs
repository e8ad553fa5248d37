using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Callback.Domain.Access;
using Callback.Domain.Audit;
using Callback.Domain.Identity;
using Callback.Domain.Localization;
using Callback.Domain.Persistence;
using Callback.Domain.Units;
using Callback.Domain.Workflow;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Callback.Domain.Intake;

/// <summary>
/// A key the records system of one unit posts files with. Only the SHA-256 of the key is stored: the key has 256 random
/// bits, so a hash without salt or stretching cannot be reversed, and a stolen database cannot post. The key itself is
/// shown once, at creation.
/// </summary>
public sealed class ApiKey
{
    public const int MaxNameLength = 100;

    private ApiKey()
    {
    }

    internal ApiKey(int unitId, string name, string hash, string prefix, DateTime createdAtUtc, string createdBy)
    {
        UnitId = unitId;
        Name = name;
        KeyHash = hash;
        Prefix = prefix;
        CreatedAtUtc = createdAtUtc;
        CreatedBy = createdBy;
    }

    public int Id { get; private set; }
    public int UnitId { get; private set; }
    public Unit? Unit { get; private set; }
    public string Name { get; private set; } = "";

    /// <summary>SHA-256 of the key, lower-case hex.</summary>
    public string KeyHash { get; private set; } = "";

    /// <summary>The key's first characters, so that an admin can tell which key a records system holds.</summary>
    public string Prefix { get; private set; } = "";

    public DateTime CreatedAtUtc { get; private set; }
    public string CreatedBy { get; private set; } = "";
    public DateTime? RevokedAtUtc { get; private set; }
    public string? RevokedBy { get; private set; }

    public bool IsRevoked => RevokedAtUtc is not null;

    /// <summary>The audit actor of calls made with this key: its id, never the key.</summary>
    public string ActorId => ActorIdOf(Id);

    public static string ActorIdOf(int keyId) => "apikey:" + keyId.ToString(CultureInfo.InvariantCulture);

    internal void Revoke(DateTime nowUtc, string by)
    {
        RevokedAtUtc ??= nowUtc;
        RevokedBy ??= by;
    }
}

/// <summary>A key as an admin sees it in the list: never the key, nor its hash.</summary>
public sealed record ApiKeyInfo(int Id, string UnitCode, string Name, string Prefix, DateTime CreatedAtUtc, DateTime? RevokedAtUtc);

/// <summary>A key just created: <see cref="Key"/> is shown once and stored nowhere.</summary>
public sealed record CreatedApiKey(ApiKeyInfo Info, string Key);

/// <summary>Who a valid key speaks for: the unit it was made for, acting as an officer of that unit and no other.</summary>
public sealed record ApiKeyHolder(int KeyId, int UnitId, string UnitCode, string Departement)
{
    public Actor Actor => Actor.User(ApiKey.ActorIdOf(KeyId), UnitId, Departement, Roles.Officer);
}

/// <summary>Creates, lists, revokes and checks intake API keys. Creating and revoking are an admin's, and audited.</summary>
public sealed class ApiKeyService(IDbContextFactory<CallbackDbContext> databases, TimeProvider clock, ILogger<ApiKeyService> logger)
{
    private const string KeyPrefix = "cbk_";

    private readonly IDbContextFactory<CallbackDbContext> _databases = databases;
    private readonly UnitOfWork _unitOfWork = new(databases, logger);

    public async Task<CreatedApiKey> CreateAsync(string unitCode, string? name, Actor actor, CancellationToken cancellationToken = default)
    {
        RequireAdmin(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(unitCode);
        var label = string.IsNullOrWhiteSpace(name) ? "records system" : name.Trim();
        if (label.Length > ApiKey.MaxNameLength)
        {
            throw new ArgumentException($"A key's name has at most {ApiKey.MaxNameLength} characters.", nameof(name));
        }

        var key = KeyPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return await _unitOfWork.RunAsync(async (write, ct) =>
        {
            var db = write.Db;
            var unit = await db.Units.SingleOrDefaultAsync(u => u.Code == unitCode.Trim(), ct)
                ?? throw new ArgumentException($"Unit \"{unitCode.Trim()}\" does not exist.", nameof(unitCode));
            var now = clock.GetUtcNow().UtcDateTime;
            var apiKey = new ApiKey(unit.Id, label, Hash(key), key[..(KeyPrefix.Length + 6)], now, actor.Id);
            db.ApiKeys.Add(apiKey);
            // The audit entry names the key by its id, which the insert gives.
            await db.SaveChangesAsync(ct);
            write.Audit(new AuditRecord(now, actor.Id, null, AuditActions.ApiKeyCreate, null, null, $"key {apiKey.Id} for unit {unit.Code}"));
            return new CreatedApiKey(new ApiKeyInfo(apiKey.Id, unit.Code, label, apiKey.Prefix, now, null), key);
        }, StaleReads.Surface, cancellationToken);
    }

    /// <summary>Revokes a key: calls made with it are refused from now on. Revoking a revoked key changes nothing.</summary>
    public async Task<bool> RevokeAsync(int keyId, Actor actor, CancellationToken cancellationToken = default)
    {
        RequireAdmin(actor);
        return await _unitOfWork.RunAsync(async (write, ct) =>
        {
            var apiKey = await write.Db.ApiKeys.SingleOrDefaultAsync(k => k.Id == keyId, ct);
            if (apiKey is null)
            {
                return false;
            }

            if (!apiKey.IsRevoked)
            {
                var now = clock.GetUtcNow().UtcDateTime;
                apiKey.Revoke(now, actor.Id);
                write.Audit(new AuditRecord(now, actor.Id, null, AuditActions.ApiKeyRevoke, null, null, $"key {apiKey.Id}"));
            }

            return true;
        }, StaleReads.Surface, cancellationToken);
    }

    public async Task<IReadOnlyList<ApiKeyInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await _databases.CreateDbContextAsync(cancellationToken);
        return await db.ApiKeys.AsNoTracking().OrderBy(k => k.Id)
            .Select(k => new ApiKeyInfo(k.Id, k.Unit!.Code, k.Name, k.Prefix, k.CreatedAtUtc, k.RevokedAtUtc))
            .ToListAsync(cancellationToken);
    }

    /// <summary>The unit a key speaks for; null when the key is unknown or revoked.</summary>
    public async Task<ApiKeyHolder?> AuthenticateAsync(string? key, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(key) || key.Length > 200)
        {
            return null;
        }

        var hash = Hash(key.Trim());
        await using var db = await _databases.CreateDbContextAsync(cancellationToken);
        var found = await db.ApiKeys.AsNoTracking().Where(k => k.KeyHash == hash && k.RevokedAtUtc == null)
            .Select(k => new ApiKeyHolder(k.Id, k.UnitId, k.Unit!.Code, k.Unit.Departement))
            .ToListAsync(cancellationToken);
        return found.Count == 1 ? found[0] : null;
    }

    internal static string Hash(string key) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static void RequireAdmin(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.May(Feature.ApiKeys))
        {
            throw new ActionForbiddenException(DomainText.Get("Forbidden.ApiKeys"));
        }
    }
}
