using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FourierRepro.Storage.Migrations
{
    /// <inheritdoc />
    public partial class ClaimStatistics : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "paper_defaults",
                table: "experiments",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "ci_high",
                table: "claim_checks",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "ci_low",
                table: "claim_checks",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "control_held",
                table: "claim_checks",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "control_measured",
                table: "claim_checks",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "kind",
                table: "claim_checks",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "n",
                table: "claim_checks",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "p_value",
                table: "claim_checks",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "verdict",
                table: "claim_checks",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "paper_defaults",
                table: "experiments");

            migrationBuilder.DropColumn(
                name: "ci_high",
                table: "claim_checks");

            migrationBuilder.DropColumn(
                name: "ci_low",
                table: "claim_checks");

            migrationBuilder.DropColumn(
                name: "control_held",
                table: "claim_checks");

            migrationBuilder.DropColumn(
                name: "control_measured",
                table: "claim_checks");

            migrationBuilder.DropColumn(
                name: "kind",
                table: "claim_checks");

            migrationBuilder.DropColumn(
                name: "n",
                table: "claim_checks");

            migrationBuilder.DropColumn(
                name: "p_value",
                table: "claim_checks");

            migrationBuilder.DropColumn(
                name: "verdict",
                table: "claim_checks");
        }
    }
}
