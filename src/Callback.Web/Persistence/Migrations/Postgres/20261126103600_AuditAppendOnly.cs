using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Callback.Web.Persistence.Migrations.Postgres
{
    /// <summary>
    /// Hand-written, kept apart from Initial so that Initial can be generated again. The SQLite twin refuses UPDATE and
    /// DELETE on audit entries; PostgreSQL also has TRUNCATE, and several nodes writing at once, so the head is guarded
    /// too: it may only move forward, one entry at a time, and never be deleted. The application role should also lack
    /// UPDATE and DELETE on these tables (docs/deploy.md): the trigger holds even for a role that has them.
    /// </summary>
    [DbContext(typeof(PostgresCallbackDbContext))]
    [Migration("20261126103600_AuditAppendOnly")]
    public partial class AuditAppendOnly : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'audit entries are append-only' USING ERRCODE = 'restrict_violation';
                END $$;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER audit_entries_no_update_or_delete BEFORE UPDATE OR DELETE ON "AuditEntries"
                    FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only();
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON "AuditEntries"
                    FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only();
                """);
            migrationBuilder.Sql("""
                CREATE FUNCTION audit_head_moves_forward() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP <> 'UPDATE' OR NEW."Id" <> OLD."Id" OR NEW."LastSequence" <= OLD."LastSequence" THEN
                        RAISE EXCEPTION 'the audit head only moves forward' USING ERRCODE = 'restrict_violation';
                    END IF;
                    RETURN NEW;
                END $$;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER audit_heads_forward_only BEFORE UPDATE OR DELETE ON "AuditHeads"
                    FOR EACH ROW EXECUTE FUNCTION audit_head_moves_forward();
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER audit_heads_no_truncate BEFORE TRUNCATE ON "AuditHeads"
                    FOR EACH STATEMENT EXECUTE FUNCTION audit_head_moves_forward();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS audit_heads_no_truncate ON \"AuditHeads\";");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS audit_heads_forward_only ON \"AuditHeads\";");
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS audit_head_moves_forward();");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS audit_entries_no_truncate ON \"AuditEntries\";");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS audit_entries_no_update_or_delete ON \"AuditEntries\";");
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS audit_entries_append_only();");
        }
    }
}
