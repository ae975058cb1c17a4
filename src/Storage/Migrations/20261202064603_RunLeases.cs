using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FourierRepro.Storage.Migrations
{
    /// <inheritdoc />
    public partial class RunLeases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "heartbeat_at",
                table: "runs",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "worker_id",
                table: "runs",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "heartbeat_at",
                table: "runs");

            migrationBuilder.DropColumn(
                name: "worker_id",
                table: "runs");
        }
    }
}
