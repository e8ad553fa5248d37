using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Callback.Web.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PeopleAcrossFiles : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "Perpetrator_BirthDate",
                table: "Cases",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "Victim_BirthDate",
                table: "Cases",
                type: "date",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "PersonKeys",
                columns: table => new
                {
                    CaseId = table.Column<Guid>(type: "uuid", nullable: false),
                    Role = table.Column<int>(type: "integer", nullable: false),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    Value = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PersonKeys", x => new { x.CaseId, x.Role, x.Kind, x.Value });
                    table.ForeignKey(
                        name: "FK_PersonKeys_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PersonLinks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    FirstCaseId = table.Column<Guid>(type: "uuid", nullable: false),
                    SecondCaseId = table.Column<Guid>(type: "uuid", nullable: false),
                    Role = table.Column<int>(type: "integer", nullable: false),
                    Confirmed = table.Column<bool>(type: "boolean", nullable: false),
                    ActorId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    DecidedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PersonLinks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PersonLinks_Cases_FirstCaseId",
                        column: x => x.FirstCaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_PersonLinks_Cases_SecondCaseId",
                        column: x => x.SecondCaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PersonKeys_Value_Kind_Role_CaseId",
                table: "PersonKeys",
                columns: new[] { "Value", "Kind", "Role", "CaseId" });

            migrationBuilder.CreateIndex(
                name: "IX_PersonLinks_FirstCaseId_SecondCaseId_Role",
                table: "PersonLinks",
                columns: new[] { "FirstCaseId", "SecondCaseId", "Role" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PersonLinks_SecondCaseId",
                table: "PersonLinks",
                column: "SecondCaseId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PersonKeys");

            migrationBuilder.DropTable(
                name: "PersonLinks");

            migrationBuilder.DropColumn(
                name: "Perpetrator_BirthDate",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "Victim_BirthDate",
                table: "Cases");
        }
    }
}
