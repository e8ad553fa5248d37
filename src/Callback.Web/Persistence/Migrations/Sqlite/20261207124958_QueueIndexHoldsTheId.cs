using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Callback.Web.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class QueueIndexHoldsTheId : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The queue's last tie-break, the id, read from the index instead of from every open file's row (QueueIndex).
            migrationBuilder.Sql(QueueIndex.Drop);
            migrationBuilder.Sql(QueueIndex.Create);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(QueueIndex.Drop);
            migrationBuilder.Sql(QueueIndex.CreateWithoutId);
        }
    }
}
