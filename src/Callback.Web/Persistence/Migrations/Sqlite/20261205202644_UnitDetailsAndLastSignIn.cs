using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Callback.Web.Persistence.Migrations.Sqlite
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
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EscalationEmail",
                table: "Units",
                type: "TEXT",
                maxLength: 254,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SwitchboardPhone",
                table: "Units",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Version",
                table: "Units",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "LastSignInUtc",
                table: "AspNetUsers",
                type: "TEXT",
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
