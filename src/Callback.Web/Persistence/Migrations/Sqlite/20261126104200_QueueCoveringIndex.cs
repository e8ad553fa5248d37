using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Callback.Web.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class QueueCoveringIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Cases_UnitId_State_DueAtUtc",
                table: "Cases");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_UnitId_State_DueAtUtc_NextAttemptAtUtc_Danger",
                table: "Cases",
                columns: new[] { "UnitId", "State", "DueAtUtc", "NextAttemptAtUtc", "Danger" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Cases_UnitId_State_DueAtUtc_NextAttemptAtUtc_Danger",
                table: "Cases");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_UnitId_State_DueAtUtc",
                table: "Cases",
                columns: new[] { "UnitId", "State", "DueAtUtc" });
        }
    }
}
