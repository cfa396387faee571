/*
 * libFuzzer target: the input is an ISO Schematron rule file; whatever
 * compiles runs over a fixed CDA-like document (the compiler, the XPath 2
 * engine under it, the runner and SVRL writer).
 */
#include "fuzz_util.h"

static const char doc[] =
	"<ClinicalDocument xmlns=\"urn:hl7-org:v3\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
	"<templateId root=\"2.16.840.1.113883.2.4.3.11.60.126.10.1\"/><id root=\"1.2.3\" extension=\"x\"/>"
	"<code code=\"x\" codeSystem=\"2.16.840.1.113883.6.1\"/><title>t</title>"
	"<effectiveTime value=\"20200101120000+0100\"/><recordTarget><patientRole><id extension=\"1\"/>"
	"<patient><name><given>A</given><family>B</family></name><birthTime value=\"19700101\"/>"
	"</patient></patientRole></recordTarget><component><structuredBody><component><section>"
	"<code code=\"1\"/><text>n</text><entry><observation classCode=\"OBS\" moodCode=\"EVN\">"
	"<value xsi:type=\"PQ\" value=\"7.5\" unit=\"kg\"/></observation></entry></section></component>"
	"</structuredBody></component></ClinicalDocument>";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file("rules.sch", data, size);
	zib_schematron *sch = NULL;
	zib_report *report = NULL;
	zib_error err;
	char *svrl = NULL;
	size_t failed = 0;

	if (zib_schematron_compile(&sch, path, NULL, &err) != ZIB_OK)
		return 0;
	if (zib_report_new(&report) != ZIB_OK)
		abort();
	zib_schematron_run(sch, doc, sizeof(doc) - 1, "doc.xml", report, &svrl, &failed, &err);
	free(svrl);
	zib_report_free(report);
	zib_schematron_free(sch);
	return 0;
}
