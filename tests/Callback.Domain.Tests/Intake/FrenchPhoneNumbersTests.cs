using Callback.Domain.Intake;

namespace Callback.Domain.Tests.Intake;

public class FrenchPhoneNumbersTests
{
    [Theory]
    [InlineData("06 12 34 56 78", "+33612345678")]
    [InlineData("0612345678", "+33612345678")]
    [InlineData("06.12.34.56.78", "+33612345678")]
    [InlineData("06-12-34-56-78", "+33612345678")]
    [InlineData("+33 6 12 34 56 78", "+33612345678")]
    [InlineData("+33 (0)6 12 34 56 78", "+33612345678")]
    [InlineData("0033 6 12 34 56 78", "+33612345678")]
    [InlineData("612345678", "+33612345678")]
    [InlineData("07 81 23 45 67", "+33781234567")]
    [InlineData("01 99 00 12 34", "+33199001234")]
    [InlineData("0692 12 34 56", "+262692123456")]
    [InlineData("0262 21 43 65", "+262262214365")]
    [InlineData("692 12 34 56", "+262692123456")]
    [InlineData("+262 693 45 67 89", "+262693456789")]
    [InlineData("0639 69 12 34", "+262639691234")]
    [InlineData("0690 12 34 56", "+590690123456")]
    [InlineData("0696 12 34 56", "+596696123456")]
    [InlineData("0694 12 34 56", "+594694123456")]
    [InlineData("+32 470 12 34 56", "+32470123456")]
    public void ToE164_ReadsTheUsualWritings_OfMainlandAndOverseasNumbers(string written, string e164)
    {
        Assert.Equal(e164, FrenchPhoneNumbers.ToE164(written));
    }

    [Theory]
    [InlineData("06 12 34")]
    [InlineData("06 12 34 56 78 90")]
    [InlineData("07 12 34 56 78")]
    [InlineData("+33 692 12 34 56")]
    [InlineData("0612 ABC 678")]
    [InlineData("inconnu")]
    [InlineData("+")]
    [InlineData("   ")]
    public void ToE164_RefusesWhatNobodyCanDial(string written)
    {
        Assert.Null(FrenchPhoneNumbers.ToE164(written));
    }
}
