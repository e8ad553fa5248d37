using Callback.Domain.Audit;
using Callback.Domain.Cases;
using Callback.Domain.Contact;
using Callback.Domain.Identity;
using Callback.Domain.Partners;
using Callback.Domain.Units;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Callback.Domain.Persistence;

/// <summary>
/// The one database of Callback: cases, units, audit and Identity. Provider-neutral: each provider has a subclass
/// that owns its migrations (see docs/decisions/0001). Every instant is a UTC <see cref="DateTime"/> (SQLite cannot
/// order a DateTimeOffset).
/// </summary>
public abstract class CallbackDbContext : IdentityDbContext<ApplicationUser>
{
    protected CallbackDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<Case> Cases => Set<Case>();
    public DbSet<Unit> Units => Set<Unit>();
    public DbSet<Campaign> Campaigns => Set<Campaign>();
    public DbSet<CallAttempt> CallAttempts => Set<CallAttempt>();
    public DbSet<CaseNote> CaseNotes => Set<CaseNote>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<AuditHead> AuditHeads => Set<AuditHead>();
    public DbSet<Partner> Partners => Set<Partner>();
    public DbSet<Referral> Referrals => Set<Referral>();
    public DbSet<Intake.ApiKey> ApiKeys => Set<Intake.ApiKey>();
    public DbSet<People.PersonKey> PersonKeys => Set<People.PersonKey>();
    public DbSet<People.PersonLink> PersonLinks => Set<People.PersonLink>();
    public DbSet<Notifications.OutboxMessage> OutboxMessages => Set<Notifications.OutboxMessage>();
    public DbSet<Workflow.PatrolBudget> PatrolBudgets => Set<Workflow.PatrolBudget>();

    /// <summary>
    /// Reads the head of the audit chain, tracked, and makes every other writer of the chain wait until the current
    /// transaction ends, so that the head read is the head this transaction extends: the chain never forks and never
    /// has a gap. SQLite needs nothing more than the read: its transactions begin IMMEDIATE and hold the file's one
    /// write lock. A provider with concurrent writers (several nodes on PostgreSQL) locks the head row as it reads it.
    /// </summary>
    public virtual Task<Audit.AuditHead> LockAuditHeadAsync(CancellationToken cancellationToken) => LoadHead.For(this)(this, cancellationToken);

    private static readonly CompiledPerModel<Func<CallbackDbContext, CancellationToken, Task<Audit.AuditHead>>> LoadHead =
        new(() => EF.CompileAsyncQuery((CallbackDbContext db, CancellationToken ct) => db.AuditHeads.Single(h => h.Id == Audit.AuditHead.SingletonId)));

    /// <summary>
    /// Writes <paramref name="rows"/> in the current transaction the provider's own bulk way, or answers false so that
    /// <see cref="BulkInsert"/> uses its prepared <c>INSERT</c>. SQLite has none faster: an insert is a call into the
    /// same process. PostgreSQL has <c>COPY</c>: one stream instead of a round trip per row.
    /// </summary>
    public virtual Task<bool> CopyAsync(BulkRows rows, CancellationToken cancellationToken) => Task.FromResult(false);

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        var detect = RefuseAuditRewrites();
        try
        {
            return base.SaveChanges(acceptAllChangesOnSuccess);
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = detect;
        }
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var detect = RefuseAuditRewrites();
        try
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = detect;
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<NullableUtcConverter>();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        Notifications.OutboxMessage.Configure(builder);
        Workflow.PatrolBudget.Configure(builder);

        builder.Entity<ApplicationUser>(u =>
        {
            u.Property(x => x.DisplayName).HasMaxLength(200);
            u.HasOne<Unit>().WithMany().HasForeignKey(x => x.UnitId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<Unit>(u =>
        {
            u.HasIndex(x => x.Code).IsUnique();
            u.Property(x => x.Code).HasMaxLength(32);
            u.Property(x => x.Name).HasMaxLength(200);
            u.Property(x => x.Departement).HasMaxLength(3);
            u.Property(x => x.TimeZoneId).HasMaxLength(64);
            u.Property(x => x.HelpPageUrl).HasMaxLength(500);
            u.Property(x => x.SwitchboardPhone).HasMaxLength(32);
            u.Property(x => x.EscalationEmail).HasMaxLength(254);
            u.Property(x => x.Version).IsConcurrencyToken();
        });

        builder.Entity<Intake.ApiKey>(k =>
        {
            k.HasOne(x => x.Unit).WithMany().HasForeignKey(x => x.UnitId).OnDelete(DeleteBehavior.Restrict);
            k.Property(x => x.Name).HasMaxLength(Intake.ApiKey.MaxNameLength);
            k.Property(x => x.KeyHash).HasMaxLength(64);
            k.HasIndex(x => x.KeyHash).IsUnique();
            k.Property(x => x.Prefix).HasMaxLength(16);
            k.Property(x => x.CreatedBy).HasMaxLength(64);
            k.Property(x => x.RevokedBy).HasMaxLength(64);
        });

        builder.Entity<Campaign>(c =>
        {
            c.Property(x => x.Name).HasMaxLength(200);
            c.Property(x => x.CreatedBy).HasMaxLength(64);
        });

        builder.Entity<Case>(c =>
        {
            c.HasKey(x => x.Id);
            c.Property(x => x.Id).ValueGeneratedNever();
            c.HasOne(x => x.Unit).WithMany().HasForeignKey(x => x.UnitId).OnDelete(DeleteBehavior.Restrict);
            c.HasOne<Campaign>().WithMany().HasForeignKey(x => x.CampaignId).OnDelete(DeleteBehavior.Restrict);
            c.Property(x => x.FileReference).HasMaxLength(64);
            c.HasIndex(x => new { x.UnitId, x.FileReference }).IsUnique();
            // The officer queue's index, IX_Cases_Queue: one unit, open states, and every column the queue filters and
            // orders by (deadline, next attempt, danger, the claim, cohabitation, the follow-up's window), so ordering
            // thousands of open cases reads the index, not the rows, and only the first page's rows are read (68 ms ->
            // under 5 ms for 5,000 open cases in one unit at 1,000,000 cases; docs/performance.md). Made by the migration
            // QueueIndexCoversItsOrder in SQL: EF Core 10 refuses an index on members of a complex type (the claim, the
            // perpetrator), so the model does not declare it.
            // The sweep: every alarm that is due.
            c.HasIndex(x => x.AlarmDueUtc);
            c.HasIndex(x => x.CampaignId);
            c.HasIndex(x => new { x.State, x.ClosedAtUtc });
            c.Property(x => x.Version).IsConcurrencyToken();
            // The claim and the patrol are values of the case: the same columns as when they were loose properties, so
            // the row and the queries' SQL stay as they were. The groups that carry an index or a foreign key (alarm,
            // closure, campaign) stay loose: EF Core 10 refuses indexes and keys on complex-type members.
            c.ComplexProperty(x => x.CurrentClaim, claim =>
            {
                claim.Property(x => x.Holder).HasColumnName("ClaimedBy").HasMaxLength(64);
                claim.Property(x => x.ExpiresAtUtc).HasColumnName("ClaimExpiresAtUtc");
            });
            c.ComplexProperty(x => x.Patrol, patrol =>
            {
                patrol.Property(x => x.RequestedAtUtc).HasColumnName("PatrolRequestedAtUtc");
                patrol.Property(x => x.Reason).HasColumnName("PatrolReasonCode");
                // The column keeps its name; since the reason became a code it holds only what a person wrote.
                patrol.Property(x => x.ReasonNote).HasColumnName("PatrolReason").HasMaxLength(1000);
                patrol.Property(x => x.Crew).HasColumnName("PatrolCrew").HasMaxLength(100);
                patrol.Property(x => x.DispatchedAtUtc).HasColumnName("PatrolDispatchedAtUtc");
                patrol.Property(x => x.Outcome).HasColumnName("PatrolOutcome");
                patrol.Property(x => x.AcknowledgedAtUtc).HasColumnName("PatrolAcknowledgedAtUtc");
                patrol.Property(x => x.CalledOffAtUtc).HasColumnName("PatrolCalledOffAtUtc");
                patrol.Property(x => x.CallOffReason).HasColumnName("PatrolCallOffReason");
                patrol.Property(x => x.CallOffNote).HasColumnName("PatrolCallOffNote").HasMaxLength(1000);
            });
            c.Property(x => x.MeasuresJson).HasMaxLength(4000);
            c.Ignore(x => x.Measures);
            c.Property(x => x.ClosureNote).HasMaxLength(2000);
            c.Property(x => x.FileNotes).HasMaxLength(FileFacts.MaxNotesLength);
            c.Ignore(x => x.PendingEvents);
            c.Ignore(x => x.Alarm);
            c.Ignore(x => x.FileFacts);

            c.ComplexProperty(x => x.Victim, v =>
            {
                v.Property(x => x.FirstName).HasMaxLength(100);
                v.Property(x => x.LastName).HasMaxLength(100);
                v.Property(x => x.Phone).HasMaxLength(32);
                v.Property(x => x.Address).HasMaxLength(500);
                v.ComplexProperty(x => x.SafeContact, s =>
                {
                    s.Property(x => x.SafePhone).HasMaxLength(32);
                    s.Property(x => x.TimeZoneId).HasMaxLength(64);
                    s.Property(x => x.CodeWord).HasMaxLength(100);
                });
            });
            c.ComplexProperty(x => x.Perpetrator, p => p.Property(x => x.Name).HasMaxLength(200));

            c.HasMany(x => x.Attempts).WithOne().HasForeignKey(a => a.CaseId).OnDelete(DeleteBehavior.Cascade);
            c.HasMany(x => x.Notes).WithOne().HasForeignKey(n => n.CaseId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<CallAttempt>(a =>
        {
            a.Property(x => x.ActorId).HasMaxLength(64);
            a.Property(x => x.Note).HasMaxLength(2000);
        });

        builder.Entity<CaseNote>(n =>
        {
            n.Property(x => x.ActorId).HasMaxLength(64);
            n.Property(x => x.Text).HasMaxLength(4000);
        });

        builder.Entity<Partner>(p =>
        {
            // The directory a unit sees: its département's partners and the national ones (null).
            p.HasIndex(x => x.Departement);
            p.Property(x => x.Departement).HasMaxLength(3);
            p.Property(x => x.Name).HasMaxLength(200);
            p.Property(x => x.Phone).HasMaxLength(32);
            p.Property(x => x.Email).HasMaxLength(254);
            p.Property(x => x.Address).HasMaxLength(500);
            p.Property(x => x.Notes).HasMaxLength(2000);
            p.Ignore(x => x.IsNational);
        });

        builder.Entity<Referral>(r =>
        {
            r.HasIndex(x => x.CaseId);
            // Referrals go with their case when retention erases it; a partner is deactivated, never deleted.
            r.HasOne<Case>().WithMany().HasForeignKey(x => x.CaseId).OnDelete(DeleteBehavior.Cascade);
            r.HasOne<Partner>().WithMany().HasForeignKey(x => x.PartnerId).OnDelete(DeleteBehavior.Restrict);
            r.Property(x => x.ActorId).HasMaxLength(64);
            r.Property(x => x.Note).HasMaxLength(2000);
            // Two officers recording different news from the partner at once: the second save is refused, not lost.
            r.Property(x => x.Status).IsConcurrencyToken();
            r.Property(x => x.StatusActorId).HasMaxLength(64);
        });

        builder.Entity<People.PersonKey>(k =>
        {
            // No generated id: the import inserts keys in bulk (BulkInsert writes only what the entity carries).
            k.HasKey(x => new { x.CaseId, x.Role, x.Kind, x.Value });
            // Search and matching ask "which cases have this value of this kind": the index answers without the rows.
            k.HasIndex(x => new { x.Value, x.Kind, x.Role, x.CaseId });
            k.Property(x => x.Value).HasMaxLength(People.PersonKey.MaxValueLength);
            k.HasOne<Case>().WithMany().HasForeignKey(x => x.CaseId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<People.PersonLink>(l =>
        {
            l.HasIndex(x => new { x.FirstCaseId, x.SecondCaseId, x.Role }).IsUnique();
            l.HasIndex(x => x.SecondCaseId);
            l.Property(x => x.ActorId).HasMaxLength(64);
            l.HasOne<Case>().WithMany().HasForeignKey(x => x.FirstCaseId).OnDelete(DeleteBehavior.Cascade);
            l.HasOne<Case>().WithMany().HasForeignKey(x => x.SecondCaseId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<AuditEntry>(a =>
        {
            a.HasKey(x => x.Sequence);
            a.Property(x => x.Sequence).ValueGeneratedNever();
            a.HasIndex(x => x.CaseId);
            a.HasIndex(x => x.AtUtc);
            a.Property(x => x.Actor).HasMaxLength(64);
            a.Property(x => x.Action).HasMaxLength(64);
            a.Property(x => x.FromState).HasMaxLength(32);
            a.Property(x => x.ToState).HasMaxLength(32);
            a.Property(x => x.Reason).HasMaxLength(2000);
            a.Property(x => x.ReasonDigest).HasMaxLength(64);
            a.Property(x => x.ReasonSalt).HasMaxLength(32);
            a.Property(x => x.PreviousHash).HasMaxLength(64);
            a.Property(x => x.Hash).HasMaxLength(64);
        });

        builder.Entity<AuditHead>(h =>
        {
            h.HasKey(x => x.Id);
            h.Property(x => x.Id).ValueGeneratedNever();
            h.Property(x => x.LastSequence).IsConcurrencyToken();
            h.Property(x => x.LastHash).HasMaxLength(64);
            h.HasData(new { Id = AuditHead.SingletonId, LastSequence = 0L, LastHash = AuditHead.GenesisHash });
        });
    }

    /// <summary>
    /// Detects changes once, refuses any rewrite of the audit log, and leaves automatic detection off for the save that
    /// follows (it would only scan the same entities again). Returns the setting to restore.
    /// </summary>
    private bool RefuseAuditRewrites()
    {
        var detect = ChangeTracker.AutoDetectChangesEnabled;
        if (detect)
        {
            ChangeTracker.DetectChanges();
        }

        ChangeTracker.AutoDetectChangesEnabled = false;
        foreach (var entry in ChangeTracker.Entries<AuditEntry>())
        {
            if (entry.State is EntityState.Deleted || (entry.State is EntityState.Modified && !IsReasonErasure(entry)))
            {
                ChangeTracker.AutoDetectChangesEnabled = detect;
                throw new InvalidOperationException($"Audit entry {entry.Entity.Sequence} cannot be changed or deleted: the audit log is append-only.");
            }
        }

        return detect;
    }

    /// <summary>The one change an audit entry may take: its reason's text and salt erased, its digest kept.</summary>
    private static bool IsReasonErasure(Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry<AuditEntry> entry) =>
        entry.Entity.IsReasonErased && entry.Entity.ReasonSalt is null
        && entry.Properties.Where(p => p.IsModified).All(p => p.Metadata.Name is nameof(AuditEntry.Reason) or nameof(AuditEntry.ReasonSalt));

    private sealed class UtcConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : DateTime.SpecifyKind(v, DateTimeKind.Utc),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    private sealed class NullableUtcConverter() : ValueConverter<DateTime?, DateTime?>(
        v => v.HasValue ? (v.Value.Kind == DateTimeKind.Utc ? v : DateTime.SpecifyKind(v.Value, DateTimeKind.Utc)) : v,
        v => v.HasValue ? DateTime.SpecifyKind(v.Value, DateTimeKind.Utc) : v);
}
