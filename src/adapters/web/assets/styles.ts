/**
 * The pages' whole stylesheet, inlined into each page (one round trip on a slow phone connection) and allowed
 * by its hash in the Content-Security-Policy. Mobile first: one column, nothing wider than a 360 px screen; on
 * a laptop the page takes the width (two columns where a page has `.grid`). A receipt prints on 80 mm paper.
 */
export const STYLES = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f23;background:#f4f6f5;overflow-wrap:anywhere}
a{color:#0a6b3d}
header.bar{display:flex;flex-wrap:wrap;align-items:center;gap:.25rem 1rem;padding:.6rem 1rem;background:#0a6b3d;color:#fff}
header.bar a{color:#fff}
.brand{font-weight:700;font-size:1.15rem;text-decoration:none;margin-right:auto}
header.bar nav{display:flex;flex-wrap:wrap;align-items:center;gap:.25rem .9rem}
header.bar form{margin:0}
.linkish{background:none;border:0;padding:0;margin:0;color:inherit;font:inherit;text-decoration:underline;cursor:pointer;width:auto}
main{max-width:76rem;margin:0 auto;padding:1rem}
header.bar nav a[aria-current=page]{font-weight:700;text-decoration-thickness:3px}
.switcher{display:flex;align-items:center;gap:.4rem;margin:0}
.switcher label{font-size:.9rem}
.switcher select{width:auto;max-width:11rem;padding:.3rem .4rem}
.switcher button{width:auto;padding:.3rem .7rem}
.grid{display:grid;gap:0 1rem;grid-template-columns:minmax(0,1fr)}
@media (min-width:64rem){.grid{grid-template-columns:minmax(0,1fr) minmax(0,1fr)}.grid .wide{grid-column:1/-1}}
.narrow{max-width:40rem}
.filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:flex-end;margin:0 0 1rem}
.filters .field{flex:1 1 10rem;margin:0}
.filters button{flex:0 0 auto}
.presets{display:flex;flex-wrap:wrap;gap:.4rem;margin:0 0 .75rem;padding:0;list-style:none}
.presets a{display:inline-block;padding:.25rem .7rem;border:1px solid #8a969f;border-radius:1rem;text-decoration:none;background:#fff}
.presets a[aria-current=true]{background:#0a6b3d;color:#fff;border-color:#0a6b3d}
.totals{display:grid;grid-template-columns:repeat(auto-fit,minmax(9rem,1fr));gap:.5rem;margin:0 0 1rem;padding:0}
.totals div{background:#fff;border:1px solid #d8dedb;border-radius:.5rem;padding:.5rem .75rem}
.totals dt{color:#4b5660;font-size:.9rem}.totals dd{margin:0;font-size:1.2rem;font-weight:700}
.pager{display:flex;flex-wrap:wrap;gap:1rem;justify-content:space-between;align-items:center}
.timeline{list-style:none;margin:0 0 1rem;padding:0 0 0 1rem;border-left:3px solid #d8dedb}
.timeline li{margin:0 0 .6rem}
.timeline time{display:block;color:#4b5660;font-size:.9rem}
.inline{display:inline}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;margin:.5rem 0 0}
.actions form{margin:0}
.actions.full{flex-basis:100%}
.actions details{margin:0;flex:1 1 14rem}
.choice.shrink{flex:0 1 auto;align-items:center}
input[type=date],input[type=search]{width:100%;padding:.5rem .6rem;border:1px solid #8a969f;border-radius:.4rem;background:#fff}
.receipt{max-width:24rem;margin:0 auto;background:#fff;border:1px solid #d8dedb;border-radius:.6rem;padding:1rem}
.receipt h1{text-align:center;font-size:1.2rem}
.receipt .total{font-size:1.3rem;font-weight:700}
.slot:empty{display:none}
@media print{
@page{size:80mm auto;margin:3mm}
body{background:#fff;font-size:11pt;color:#000}
header.bar,.no-print{display:none!important}
main{max-width:none;padding:0}
.receipt{border:0;padding:0;max-width:74mm;margin:0}
a{color:#000;text-decoration:none}
}
h1{font-size:1.45rem;line-height:1.25;margin:.5rem 0 1rem}
h2{font-size:1.15rem;margin:0 0 .75rem}
section.card{background:#fff;border:1px solid #d8dedb;border-radius:.6rem;padding:1rem;margin:0 0 1rem}
.field{margin:0 0 1rem}
.field label,.legend{display:block;font-weight:600;margin:0 0 .15rem}
.optional{font-weight:400;color:#5b6670}
.help{margin:0 0 .35rem;color:#4b5660;font-size:.9rem}
.error{margin:0 0 .35rem;color:#b00020;font-weight:600;font-size:.95rem}
.has-error input,.has-error select{border-color:#b00020;border-width:2px}
input,select,textarea,button{font:inherit;max-width:100%}
input[type=text],input[type=email],input[type=password],input[type=tel],input[type=number],select{width:100%;padding:.55rem .6rem;border:1px solid #8a969f;border-radius:.4rem;background:#fff}
input[type=number].qty{width:5.5rem}
fieldset{border:0;padding:0;margin:0 0 1rem;min-width:0}
.choices{display:flex;flex-wrap:wrap;gap:.5rem}
.choice{display:flex;align-items:flex-start;gap:.5rem;flex:1 1 12rem;border:1px solid #8a969f;border-radius:.4rem;padding:.55rem .6rem;background:#fff;font-weight:400}
.choice input{margin-top:.3rem}
.choice:has(input:checked){border-color:#0a6b3d;box-shadow:0 0 0 2px #0a6b3d}
form:has(#method-paybill:checked) .till-only,form:has(#method-till:checked) .paybill-only{display:none}
button,.button{display:inline-block;width:100%;padding:.65rem 1rem;border:0;border-radius:.4rem;background:#0a6b3d;color:#fff;font-weight:600;text-align:center;text-decoration:none;cursor:pointer}
button:disabled{opacity:.6;cursor:progress}
.button.secondary,button.secondary{background:#e3ebe7;color:#0a3d24}
.alert{border-radius:.4rem;padding:.65rem .8rem;margin:0 0 1rem;border:1px solid}
.alert.error{background:#fdecee;border-color:#e7a0a9;color:#7a0016;font-weight:400}
.alert.info{background:#eef5fb;border-color:#a9c8e4}
.alert.ok{background:#e9f7ef;border-color:#92cfab}
.status{border-radius:.4rem;padding:.65rem .8rem;margin:0 0 1rem;border:1px solid #a9c8e4;background:#eef5fb}
.status[data-status=paid]{background:#e9f7ef;border-color:#92cfab}
.status[data-status=failed],.status[data-status=cancelled],.status[data-status=expired]{background:#fdecee;border-color:#e7a0a9}
.status strong{display:block}
.rows{list-style:none;margin:0;padding:0}
.rows li{display:flex;flex-wrap:wrap;justify-content:space-between;gap:.15rem .75rem;padding:.5rem 0;border-bottom:1px solid #e6ebe8}
.rows li:last-child{border-bottom:0}
.muted{color:#5b6670;font-size:.9rem}
.badge{display:inline-block;padding:0 .45rem;border-radius:1rem;font-size:.85rem;background:#e3ebe7;color:#1b1f23}
.badge.paid,.badge.completed{background:#cdebd9}.badge.pending{background:#dbe8f5}
.badge.failed,.badge.cancelled,.badge.expired{background:#f6d3d8}
.badge.attention{background:#fbe3b5}
.balance{font-size:1.6rem;font-weight:700;margin:0 0 .75rem}
.summary{margin:0 0 1rem;padding:0}
.summary div{display:flex;flex-wrap:wrap;justify-content:space-between;gap:0 1rem;padding:.3rem 0;border-bottom:1px solid #e6ebe8}
.summary dt{color:#4b5660}.summary dd{margin:0;font-weight:600}
details{margin:0 0 1rem}
summary{cursor:pointer;color:#0a6b3d;font-weight:600;margin:0 0 .5rem}
.item{display:flex;align-items:center;justify-content:space-between;gap:.5rem;padding:.4rem 0;border-bottom:1px solid #e6ebe8}
.item label{font-weight:400;margin:0}
@media (min-width:40rem){button,.button{width:auto}}
`;
