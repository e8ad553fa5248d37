using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Callback.Web.Persistence.Migrations.Postgres
{
    /// <summary>Reasons hashed apart from the entry (AuditEntry.ReasonDigest), so retention can erase their text.</summary>
    public partial class AuditReasonDigests : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ReasonDigest",
                table: "AuditEntries",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReasonSalt",
                table: "AuditEntries",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            // The one update an audit entry may take: its reason's text and salt erased (retention), everything else,
            // the digest included, unchanged. Deletes, truncates and any other update are still refused.
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'UPDATE' AND OLD."ReasonDigest" IS NOT NULL AND NEW."Reason" IS NULL AND NEW."ReasonSalt" IS NULL
                       AND (NEW."Sequence", NEW."AtUtc", NEW."Actor", NEW."CaseId", NEW."Action", NEW."FromState", NEW."ToState", NEW."ReasonDigest", NEW."PreviousHash", NEW."Hash") IS NOT DISTINCT FROM
                           (OLD."Sequence", OLD."AtUtc", OLD."Actor", OLD."CaseId", OLD."Action", OLD."FromState", OLD."ToState", OLD."ReasonDigest", OLD."PreviousHash", OLD."Hash") THEN
                        RETURN NEW;
                    END IF;
                    RAISE EXCEPTION 'audit entries are append-only: only a reason''s text may be erased' USING ERRCODE = 'restrict_violation';
                END $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'audit entries are append-only' USING ERRCODE = 'restrict_violation';
                END $$;
                """);

            migrationBuilder.DropColumn(
                name: "ReasonDigest",
                table: "AuditEntries");

            migrationBuilder.DropColumn(
                name: "ReasonSalt",
                table: "AuditEntries");
        }
    }
}
