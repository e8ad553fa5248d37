using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Callback.Web.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class QueueIndexCoversItsOrder : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Cases_UnitId_State_DueAtUtc_NextAttemptAtUtc_Danger",
                table: "Cases");

            migrationBuilder.Sql(QueueIndex.CreateWithoutId);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(QueueIndex.Drop);

            migrationBuilder.CreateIndex(
                name: "IX_Cases_UnitId_State_DueAtUtc_NextAttemptAtUtc_Danger",
                table: "Cases",
                columns: new[] { "UnitId", "State", "DueAtUtc", "NextAttemptAtUtc", "Danger" });
        }
    }
}
