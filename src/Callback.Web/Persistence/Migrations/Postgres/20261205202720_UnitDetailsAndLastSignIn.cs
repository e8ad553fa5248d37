using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Callback.Web.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class UnitDetailsAndLastSignIn : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "DailyCallCapacity",
                table: "Units",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EscalationEmail",
                table: "Units",
                type: "character varying(254)",
                maxLength: 254,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SwitchboardPhone",
                table: "Units",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Version",
                table: "Units",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "LastSignInUtc",
                table: "AspNetUsers",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "DailyCallCapacity",
                table: "Units");

            migrationBuilder.DropColumn(
                name: "EscalationEmail",
                table: "Units");

            migrationBuilder.DropColumn(
                name: "SwitchboardPhone",
                table: "Units");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "Units");

            migrationBuilder.DropColumn(
                name: "LastSignInUtc",
                table: "AspNetUsers");
        }
    }
}
