"""English dates as the pressroom writes them, day first ("17 May 2022"), as British English
does and as the ministry's own texts (a figure's source, say) do beside them."""

DATE_FORMAT = "j F Y"
