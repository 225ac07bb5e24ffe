using System.Text;
using Xinfang.Text.Csv;

namespace Xinfang.Text.Tests;

public class CsvTableTests
{
    static CsvTable Read(string text, bool bom = false)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return CsvTable.Read(new MemoryStream(bom ? [0xEF, 0xBB, 0xBF, .. bytes] : bytes));
    }

    [Theory]
    [InlineData("msg_id,title\n1,\"a, b\"\n", "a, b")]                 // comma inside quotes
    [InlineData("msg_id,title\n1,\"say \"\"hi\"\"\"\n", "say \"hi\"")]   // doubled quotes
    [InlineData("msg_id,title\n1,\"line1\nline2\"\n", "line1\nline2")] // newline inside quotes
    [InlineData("msg_id,title\r\n1,\"line1\r\nline2\"\r\n", "line1\r\nline2")]
    [InlineData("msg_id,title\n1,小区噪音\n", "小区噪音")]
    [InlineData("msg_id,title\n1,\n", "")]
    [InlineData("msg_id,title\n1\n", "")]                               // short row: missing cell reads empty
    public void Read_of_rfc4180_field_gives_its_value(string csv, string expected)
    {
        var table = Read(csv);
        table.Rows.Count.ShouldBe(1);
        table.Cell(table.Rows[0], "title").ShouldBe(expected);
    }

    [Fact]
    public void Read_with_utf8_bom_drops_it_from_the_first_column_name()
    {
        var table = Read("msg_id,title\n7,x\n", bom: true);
        table.Header[0].ShouldBe("msg_id");
        table.Cell(table.Rows[0], "msg_id").ShouldBe("7");
    }

    [Fact]
    public void Read_of_empty_file_throws_and_unknown_column_throws()
    {
        Should.Throw<FormatException>(() => Read(""));
        var table = Read("a,b\n1,2\n");
        Should.Throw<FormatException>(() => table.Cell(table.Rows[0], "c"));
    }

    [Fact]
    public void Write_then_read_round_trips_awkward_values()
    {
        var values = new[] { "a,b", "q\"uote", "two\nlines", " padded ", "中文，标点" };
        var writer = new StringWriter();
        CsvTable.Write(writer, ["id", "text"], values.Select((v, i) => (IReadOnlyList<string>)[i.ToString(), v]));
        var table = CsvTable.Read(new StringReader(writer.ToString()));
        table.Rows.Select(r => table.Cell(r, "text")).ShouldBe(values);
    }
}
