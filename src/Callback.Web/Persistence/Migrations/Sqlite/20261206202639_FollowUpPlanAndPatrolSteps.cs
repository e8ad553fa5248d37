using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Callback.Web.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class FollowUpPlanAndPatrolSteps : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "CheckInsCoveredUntilUtc",
                table: "Cases",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "CheckInsDone",
                table: "Cases",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "FollowUpDeclinedAtUtc",
                table: "Cases",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "FollowUpStartedAtUtc",
                table: "Cases",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "MeasuresJson",
                table: "Cases",
                type: "TEXT",
                maxLength: 4000,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "PatrolAcknowledgedAtUtc",
                table: "Cases",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PatrolCallOffNote",
                table: "Cases",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "PatrolCallOffReason",
                table: "Cases",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "PatrolCalledOffAtUtc",
                table: "Cases",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CheckInsCoveredUntilUtc",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "CheckInsDone",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "FollowUpDeclinedAtUtc",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "FollowUpStartedAtUtc",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "MeasuresJson",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "PatrolAcknowledgedAtUtc",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "PatrolCallOffNote",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "PatrolCallOffReason",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "PatrolCalledOffAtUtc",
                table: "Cases");
        }
    }
}
